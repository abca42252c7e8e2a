// Renders a conversation into the prompt text a model was trained on. The
// result holds special-token text (`<｜User｜>`, `<|im_start|>`) inline; the
// tokenizer recognises special tokens by their text. The templates are written
// out in C++ rather than interpreted from the GGUF's Jinja source: three fixed
// formats cover the models Ponder runs, and a Jinja interpreter would be a
// large attack surface for untrusted files.
//
// Each format reproduces what Hugging Face's apply_chat_template produces
// with the model's own template for system/user/assistant messages, byte for
// byte, except where a comment below says otherwise. Tool calls are not
// supported.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ponder {

enum class ChatFormat {
    DeepSeekR1,  // <｜User｜>…<｜Assistant｜>…<｜end▁of▁sentence｜>, every R1 distill
    ChatML,      // <|im_start|>role\n…<|im_end|>\n (Qwen, QwQ and many others)
    Llama3,      // <|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>
};

std::string_view chatFormatName(ChatFormat format);

// Picks the format from the GGUF key `tokenizer.chat_template` by markers
// every variant of each family contains. Checked in the order R1, ChatML,
// Llama 3, so a template that mentions several (none known does) resolves
// to R1. An empty or unrecognised template gives DeepSeekR1: every model in
// our catalog is an R1 distill, and every R1 distill GGUF (including the
// Llama-based ones, whose base model used the Llama 3 format) carries R1's
// template, so a file whose template we cannot read is most likely one of
// them with the key stripped or mangled.
ChatFormat detectChatFormat(std::string_view jinjaTemplate);

enum class ChatRole { System, User, Assistant };

struct ChatMessage {
    ChatRole role;
    std::string content;  // UTF-8; an assistant message may hold its reasoning
};

// Token texts that differ between models of one format, taken from the
// tokenizer by the caller (e.g. the text of `tokenizer.ggml.bos_token_id`).
// The turn markers themselves are fixed by each format and written inline.
struct ChatTemplateTokens {
    std::string bos;  // "<｜begin▁of▁sentence｜>"; empty: the model has none
};

// One stretch of a rendered prompt: either special-token text the template
// put there (a turn marker, BOS, `<think>`), or ordinary text (message
// content, role names, newlines). Consecutive ordinary stretches are merged,
// so the pieces alternate between one special token's text and plain text.
struct PromptPiece {
    std::string text;
    bool special;
};

// The prompt as pieces. Tokenizing each piece on its own (special pieces as
// the one token they name, plain pieces with special-token matching off)
// keeps special-token text typed by the user from becoming a control token,
// which tokenizing renderPrompt()'s string cannot tell apart.
std::vector<PromptPiece> renderPromptPieces(ChatFormat format, std::span<const ChatMessage> messages,
                                            const ChatTemplateTokens& tokens, bool addGenerationPrompt);

// The prompt as one string: the concatenation of renderPromptPieces(). It
// begins with tokens.bos where the format uses one, so the caller tokenizes
// it without adding another BOS.
//
// DeepSeekR1: `{bos}{system}` then `<｜User｜>{content}` per user turn and
// `<｜Assistant｜>{answer}<｜end▁of▁sentence｜>` per assistant turn, with no
// separators, and `<｜Assistant｜><think>\n` as the generation prompt.
// System messages are hoisted to the front wherever they appear. {answer} is
// assistantAnswer(content), not trimmed, exactly as the distill template's
// `content.split('</think>')[-1]`. Deviation: the distill template keeps only
// the last system message; we join several with "\n\n" (as DeepSeek's later
// R1 templates do) rather than drop the user's text. With at most one
// system message both render identically.
//
// ChatML: `<|im_start|>{role}\n{content}<|im_end|>\n` per message in order,
// generation prompt `<|im_start|>assistant\n`; no BOS. Assistant content
// holding `</think>` becomes assistantAnswer(content) with leading newlines
// removed, as QwQ's and Qwen3's templates do; other content goes in whole.
// Deviation: Qwen2/2.5's templates insert a default system message ("You are
// Qwen, created by Alibaba Cloud. …") when there is none; that text belongs to
// one model family, so we render no system block unless one is given.
//
// Llama3: `{bos}` then `<|start_header_id|>{role}<|end_header_id|>\n\n
// {trimmed content}<|eot_id|>` per message in order (trimmed as Python's
// str.strip(): Unicode white space at both ends), generation prompt
// `<|start_header_id|>assistant<|end_header_id|>\n\n`. This is Llama 3.0's
// template; assistant content is assistantAnswer(content) before trimming.
// Deviation: Llama 3.1's template always opens with a system block holding
// "Cutting Knowledge Date: December 2023\nToday Date: {date}\n\n"; the date is
// either a stale constant or the wall clock (which would change the prompt
// from one day to the next and defeat reuse of a cached prompt prefix), and
// 3.1 models follow the 3.0 form well, so we leave it out.
std::string renderPrompt(ChatFormat format, std::span<const ChatMessage> messages,
                         const ChatTemplateTokens& tokens, bool addGenerationPrompt);

// The part of a stored assistant message that goes back into the prompt: the
// text after the last `</think>`, or the whole content when there is none.
// An unclosed `<think>` (a reply stopped while reasoning) is kept whole, as
// the model's own template does; the app stores such a reply's answer as
// empty if it wants the reasoning dropped.
std::string_view assistantAnswer(std::string_view content);

// Texts of the tokens that end an assistant turn in this format; generation
// stops at any of them. The caller maps them to ids through the tokenizer and
// skips those the vocabulary lacks.
std::span<const std::string_view> endOfTurnTexts(ChatFormat format);

} // namespace ponder
