// llama.cpp's Vulkan backend (the prebuilt @node-llama-cpp/linux-x64-vulkan)
// or its CPU backend (@node-llama-cpp/linux-x64), driven through
// node-llama-cpp, on a GGUF file, measured the way ponder-bench measures
// Ponder, for BENCHMARKS.md:
//
//   GGML_VK_VISIBLE_DEVICES=0 node tests/bench/llama_bench.mjs --model FILE
//       [--prompt-tokens 512] [--gen-tokens 128] [--repeat 3] [--seed 1]
//       [--sampler greedy|default] [--flash-attention on|off|auto]
//   node tests/bench/llama_bench.mjs --device cpu --threads 2 --model FILE ...
//
// Each repeat clears the context, evaluates a prompt of random token ids
// (seeded) and decodes, greedily or with the sampler ponder-bench calls
// "default" (temperature 0.6, top-p 0.95, no top-k, fixed seed): prefill tokens/s is the prompt length over
// the time to the first token, decode tokens/s the generated tokens over the
// time after it. On Vulkan every layer is offloaded, and the run fails
// unless llama.cpp reports a Vulkan device and all layers on it: a silent
// fall back to its CPU backend would measure the wrong thing. On the CPU no
// layer is offloaded and the context computes on --threads threads. Prints JSON on stdout;
// progress and llama.cpp's log on stderr with --verbose.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

function parseArgs(argv) {
    const options = { promptTokens: 512, genTokens: 128, repeat: 3, seed: 1, verbose: false, device: "vulkan",
                      threads: 0, sampler: "greedy", flashAttention: "off" };
    const names = { "--model": "model", "--prompt-tokens": "promptTokens", "--gen-tokens": "genTokens",
                    "--repeat": "repeat", "--seed": "seed", "--device": "device", "--threads": "threads",
                    "--sampler": "sampler", "--flash-attention": "flashAttention" };
    const textOptions = ["model", "device", "sampler", "flashAttention"];
    for (let i = 0; i < argv.length; ++i) {
        if (argv[i] === "--verbose") {
            options.verbose = true;
            continue;
        }
        const name = names[argv[i]];
        if (!name || i + 1 >= argv.length)
            throw new Error(`unknown option or missing value: ${argv[i]}`);
        const value = argv[++i];
        const text = textOptions.includes(name);
        options[name] = text ? value : Number(value);
        if (!text && !(Number.isInteger(options[name]) && options[name] >= 0))
            throw new Error(`${argv[i - 1]} needs a whole number, got '${value}'`);
    }
    if (!options.model)
        throw new Error("--model FILE is required");
    if (options.promptTokens < 1 || options.repeat < 1)
        throw new Error("--prompt-tokens and --repeat must be at least 1");
    if (options.device !== "vulkan" && options.device !== "cpu")
        throw new Error(`--device is vulkan or cpu, not '${options.device}'`);
    if (options.sampler !== "greedy" && options.sampler !== "default")
        throw new Error(`--sampler is greedy or default, not '${options.sampler}'`);
    if (!["on", "off", "auto"].includes(options.flashAttention))
        throw new Error(`--flash-attention is on, off or auto, not '${options.flashAttention}'`);
    return options;
}

// xorshift64*: the same ids for the same seed on every run.
function randomIds(count, vocab, seed) {
    let state = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
    const mask = (1n << 64n) - 1n;
    const ids = [];
    for (let i = 0; i < count; ++i) {
        state ^= state >> 12n;
        state ^= (state << 25n) & mask;
        state ^= state >> 27n;
        const value = (state * 0x2545f4914f6cdd1dn) & mask;
        ids.push(Number((value >> 11n) % BigInt(vocab)));
    }
    return ids;
}

function spread(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const n = sorted.length;
    const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { median, min: sorted[0], max: sorted[n - 1] };
}

// The sampling options of --sampler.
function samplingOptions(sampler, seed) {
    return sampler === "greedy" ? { temperature: 0 } : { temperature: 0.6, topP: 0.95, topK: 0, minP: 0, seed };
}

// The prompt from an empty sequence, then `genTokens` decode steps.
async function timedRun(sequence, prompt, genTokens, sampling) {
    await sequence.clearHistory();
    const start = performance.now();
    const tokens = sequence.evaluate(prompt, sampling);
    const first = await tokens.next();
    const firstTokenSeconds = (performance.now() - start) / 1000;
    if (first.done)
        throw new Error("llama.cpp produced no token");
    const decodeStart = performance.now();
    let decoded = 0;
    while (decoded < genTokens) {
        const next = await tokens.next();
        if (next.done)
            break;
        ++decoded;
    }
    const decodeSeconds = (performance.now() - decodeStart) / 1000;
    await tokens.return();
    return { firstTokenSeconds, decodeSeconds, decoded };
}

async function main() {
    const options = parseArgs(process.argv.slice(2));
    const log = [];
    const cpu = options.device === "cpu";
    const llama = await getLlama({
        gpu: cpu ? false : "vulkan",
        build: "never",
        logLevel: LlamaLogLevel.info,
        logger: (level, message) => {
            log.push(message.trimEnd());
            if (options.verbose)
                process.stderr.write(`[llama.cpp ${level}] ${message}`);
        },
    });
    const devices = cpu ? [] : await llama.getGpuDeviceNames();
    if (cpu && llama.gpu !== false)
        throw new Error(`llama.cpp loaded its ${llama.gpu} backend, not the CPU one`);
    if (!cpu && llama.gpu !== "vulkan")
        throw new Error(`llama.cpp loaded its ${llama.gpu || "CPU"} backend, not Vulkan`);
    if (!cpu && devices.length === 0)
        throw new Error("llama.cpp's Vulkan backend sees no device (set GGML_VK_VISIBLE_DEVICES=0 for lavapipe)");

    const loadStart = performance.now();
    const model = await llama.loadModel({ modelPath: options.model, gpuLayers: cpu ? 0 : "max" });
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const offload = log.find((line) => /offloaded \d+\/\d+ layers to GPU/.test(line));
    const counts = offload && offload.match(/offloaded (\d+)\/(\d+) layers/);
    if (!cpu && (!counts || counts[1] !== counts[2]))
        throw new Error(`not every layer is on the GPU: ${offload ?? "no offload line in llama.cpp's log"}`);

    const vocab = model.fileInfo.metadata?.tokenizer?.ggml?.tokens?.length;
    if (!vocab)
        throw new Error("cannot read the vocabulary size from the file");
    const context = await model.createContext({
        contextSize: options.promptTokens + options.genTokens + 16,
        batchSize: Math.min(512, options.promptTokens),
        sequences: 1,
        flashAttention: { on: true, off: false, auto: "auto" }[options.flashAttention],
        ...(options.threads ? { threads: options.threads } : {}),
    });
    const sequence = context.getSequence();
    const prompt = randomIds(options.promptTokens, vocab, options.seed);

    // Warm-up: builds the Vulkan pipelines or pages the weights in, untimed.
    const sampling = samplingOptions(options.sampler, options.seed);
    await timedRun(sequence, prompt.slice(0, Math.min(8, prompt.length)), 1, sampling);
    const prefill = [], firstToken = [], decode = [];
    for (let r = 0; r < options.repeat; ++r) {
        const run = await timedRun(sequence, prompt, options.genTokens, sampling);
        prefill.push(options.promptTokens / run.firstTokenSeconds);
        firstToken.push(run.firstTokenSeconds);
        if (run.decoded)
            decode.push(run.decoded / run.decodeSeconds);
        process.stderr.write(`llama_bench: run ${r + 1}/${options.repeat}: prefill ${prefill.at(-1).toFixed(2)} ` +
                             `tokens/s, decode ${(decode.at(-1) ?? 0).toFixed(2)} tokens/s\n`);
    }

    const vram = cpu ? { total: 0 } : await llama.getVramState();
    const result = {
        engine: `llama.cpp (node-llama-cpp 3.22.1, @node-llama-cpp/linux-x64${cpu ? "" : "-vulkan"})`,
        // system_info names the SIMD of the CPU build llama.cpp loaded
        // ("AVX2 = 1 | ... " without AVX512 for its haswell build).
        device: { gpu: llama.gpu, names: devices, vram_total_bytes: vram.total,
                  threads: cpu ? context.currentThreads : undefined, system_info: llama.systemInfo.trim() },
        model: { file: options.model, size_bytes: model.size, gpu_layers: model.gpuLayers, vocab },
        settings: {
            prompt_tokens: options.promptTokens, gen_tokens: options.genTokens, repeat: options.repeat,
            seed: options.seed, context: context.contextSize, batch: context.batchSize, sampler: options.sampler,
            flash_attention: context.flashAttention,
        },
        load_seconds: loadSeconds,
        prefill: { tokens_per_second: spread(prefill) },
        time_to_first_token_seconds: spread(firstToken),
        decode: decode.length ? { tokens_per_second: spread(decode) } : {},
        log: log.filter((line) => /ggml_vulkan|Vulkan|CPU|offload|buffer size|graph:|Flash Attention|llama_context: (n_ctx|n_batch|n_ubatch|flash_attn)|system_info/.test(line)),
    };
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    await context.dispose();
    await model.dispose();
    await llama.dispose();
}

main().catch((error) => {
    process.stderr.write(`llama_bench: ${error.message.split("\n")[0]}\n`);
    process.exit(1);
});
