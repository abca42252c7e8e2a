// The official `openai` npm client against ponder-server (serve_openai_test.sh
// starts it on a tiny random R1-format model): listing, a streamed answer
// with reasoning_content and usage, a whole one, max_tokens, stop, an unknown
// model, and an aborted stream after which the server stops generating.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.PONDER_DATA}/package.json`);
const OpenAI = require('openai');

const baseURL = process.env.PONDER_URL;
const model = process.env.PONDER_MODEL;
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 30000 });
const messages = [{ role: 'user', content: 'What is 2 + 2?' }];
const health = async () => (await fetch(baseURL.replace(/\/v1$/, '/health'))).json();

async function streamed(extra) {
    const stream = await client.chat.completions.create({ model, messages, stream: true, temperature: 0, ...extra });
    let reasoning = '', content = '', finish = null, usage = null, chunks = 0;
    for await (const chunk of stream) {
        ++chunks;
        assert.equal(chunk.object, 'chat.completion.chunk');
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        reasoning += choice.delta.reasoning_content ?? '';
        content += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
    }
    return { reasoning, content, finish, usage, chunks };
}

async function test(name, body) {
    await body();
    console.log(`ok - ${name}`);
}

await test('lists the served model', async () => {
    const list = await client.models.list();
    assert.deepEqual(list.data.map((m) => m.id), [model]);
});

await test('streams reasoning apart, with usage', async () => {
    const answer = await streamed({ max_tokens: 24, stream_options: { include_usage: true } });
    // The R1 template opens the reasoning: a random model's text is all reasoning until a </think>.
    assert.ok(answer.reasoning.length > 0, 'no reasoning_content');
    assert.equal(answer.finish, 'length');
    assert.equal(answer.usage.completion_tokens, 24);
    assert.ok(answer.usage.prompt_tokens > 0);
    assert.equal(answer.usage.total_tokens, answer.usage.prompt_tokens + 24);
    const reasoningTokens = answer.usage.completion_tokens_details.reasoning_tokens;
    assert.ok(reasoningTokens > 0 && reasoningTokens <= 24, `reasoning_tokens ${reasoningTokens}`);
    if (!answer.content) assert.equal(reasoningTokens, 24);
});

await test('answers whole when not streaming', async () => {
    const completion = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 16 });
    assert.equal(completion.object, 'chat.completion');
    const choice = completion.choices[0];
    assert.equal(choice.message.role, 'assistant');
    assert.equal(typeof choice.message.reasoning_content, 'string');
    assert.ok(choice.message.reasoning_content.length + choice.message.content.length > 0);
    assert.equal(choice.finish_reason, 'length');
    assert.equal(completion.usage.completion_tokens, 16);
    // The same greedy answer streamed and whole.
    const again = await streamed({ max_tokens: 16 });
    assert.equal(again.reasoning, choice.message.reasoning_content);
});

await test('max_tokens and max_completion_tokens bound the answer', async () => {
    const five = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 5 });
    assert.equal(five.usage.completion_tokens, 5);
    assert.equal(five.choices[0].finish_reason, 'length');
    const three = await client.chat.completions.create({ model, messages, temperature: 0, max_completion_tokens: 3 });
    assert.equal(three.usage.completion_tokens, 3);
});

await test('stop ends the answer before the stop string', async () => {
    // Inline reasoning: the raw output, so a stop string can be cut from it.
    const whole = await streamed({ max_tokens: 40, reasoning_format: 'none' });
    assert.ok(whole.content.startsWith('<think>\n'), 'inline reasoning opens with <think>');
    const raw = whole.content.slice('<think>\n'.length);
    let at = Math.floor(raw.length / 2);
    while (at < raw.length - 3 && !/^[ -~]{3}$/.test(raw.slice(at, at + 3))) ++at;
    assert.ok(at < raw.length - 3, 'no printable stretch to stop at');
    const stop = raw.slice(at, at + 3);
    const stopped = await streamed({ max_tokens: 40, reasoning_format: 'none', stop: [stop] });
    assert.equal(stopped.content, '<think>\n' + raw.slice(0, raw.indexOf(stop)));
    assert.equal(stopped.finish, 'stop');
});

await test('an unknown model is a 404 the client raises', async () => {
    await assert.rejects(
        client.chat.completions.create({ model: 'gpt-4o', messages }),
        (error) => error instanceof OpenAI.NotFoundError && error.status === 404 && error.code === 'model_not_found');
    await assert.rejects(
        client.chat.completions.create({ model, messages, temperature: 'hot' }),
        (error) => error instanceof OpenAI.BadRequestError && error.param === 'temperature');
});

await test('an aborted stream stops the generation', async () => {
    const before = await health();
    const controller = new AbortController();
    const maxTokens = 3000;
    const stream = await client.chat.completions.create(
        { model, messages, stream: true, temperature: 0, max_tokens: maxTokens }, { signal: controller.signal });
    let chunks = 0;
    try {
        for await (const chunk of stream) {
            assert.equal(chunk.object, 'chat.completion.chunk');
            if (++chunks === 4) {
                controller.abort();
                break;
            }
        }
    } catch (error) {
        if (!(error instanceof OpenAI.APIUserAbortError)) throw error;
    }
    assert.equal(chunks, 4);
    let after = await health();
    for (let i = 0; i < 400 && (after.cancelled === before.cancelled || after.busy); ++i) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await health();
    }
    assert.equal(after.cancelled, before.cancelled + 1, 'the server did not cancel the generation');
    assert.equal(after.completed, before.completed);
    const decoded = after.decoded_tokens - before.decoded_tokens;
    assert.ok(decoded < maxTokens, `${decoded} tokens generated after the abort`);
    // And it keeps serving.
    const next = await client.chat.completions.create({ model, messages, temperature: 0, max_tokens: 2 });
    assert.equal(next.usage.completion_tokens, 2);
});
