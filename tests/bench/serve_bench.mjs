// Streaming through ponder-server, timed by its client (serve_bench.sh runs
// it): decode time per token (between the first and the last streamed token
// chunk, greedy, max_tokens N, so every chunk is one token) and time to
// first byte: from sending a request whose prompt the server has cached but
// for its last token, to the first token's chunk. Prints JSON.
const [url, model, genTokens, repeat] = process.argv.slice(2);
const messages = [{ role: 'user', content: 'Write a long story about a lighthouse keeper.' }];

async function run() {
    const started = performance.now();
    const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model, messages, stream: true, temperature: 0, max_tokens: Number(genTokens),
                               stream_options: { include_usage: true } }),
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '', first = 0, last = 0, chunks = 0, usage = null;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const now = performance.now();
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
            const chunk = JSON.parse(event.slice(6));
            if (chunk.usage) usage = chunk.usage;
            const delta = chunk.choices[0]?.delta;
            if (delta && (delta.reasoning_content || delta.content)) {
                if (!first) first = now;
                last = now;
                ++chunks;
            }
        }
    }
    return { firstMs: first - started, decodeMs: chunks > 1 ? (last - first) / (chunks - 1) : 0, chunks, usage };
}

await run();  // warm up, and cache the prompt
const runs = [];
for (let i = 0; i < Number(repeat); ++i) runs.push(await run());
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(JSON.stringify({
    decodeMsPerToken: median(runs.map((r) => r.decodeMs)),
    firstByteMs: median(runs.map((r) => r.firstMs)),
    cachedPromptTokens: runs[0].usage?.prompt_tokens_details?.cached_tokens,
    promptTokens: runs[0].usage?.prompt_tokens,
    tokenChunks: runs.map((r) => r.chunks),
}, null, 2));
