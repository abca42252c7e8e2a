// Byte-level BPE (GPT-2 style) for the vocabularies of the DeepSeek-R1
// distills: Qwen2.5's (pre-tokenizer "qwen2" / "deepseek-r1-qwen") and
// Llama 3's ("llama-bpe"). Matches Hugging Face's tokenizers, as checked
// against its JavaScript port on a corpus of several thousand strings.
//
// encode(text):
//   1. Invalid UTF-8 becomes U+FFFD (the reference only ever sees valid text).
//   2. Added tokens are cut out first, leftmost and longest match first:
//      user-defined tokens (`<think>`) always, control tokens
//      (`<｜User｜>`, `<|eot_id|>`) only when parseSpecial is set, as in
//      llama.cpp; Hugging Face matches both by default (parseSpecial = true).
//   3. Each remaining section is NFC-normalized when the vocabulary's
//      tokenizer.json has that normalizer (Qwen2's does, Llama 3's does not;
//      GGUF files do not record it, so it follows from the pre-tokenizer name).
//   4. The pre-tokenizer regex (PCRE2, Unicode properties) splits the section.
//   5. Each piece's bytes become byte tokens that merge by rank, lowest first,
//      leftmost first among equal ranks. Under Llama 3's ignore_merges a piece
//      that is itself a token is emitted whole.
//
// Known differences from the JavaScript reference, kept out of the test
// corpus: PCRE2 10.42 counts U+0085 and U+180E as whitespace and U+FEFF not,
// JavaScript the opposite; characters assigned after Unicode 14.0 (PCRE2's
// tables) may get other letter/number classes. The contractions are written
// with explicit [sS]-style classes, as the reference does, so a caseless
// match cannot take U+017F (ſ) for s.
//
// A Tokenizer is immutable and cheap to copy (a shared handle); every const
// method may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/error.h"

namespace ponder {

// The values of tokenizer.ggml.token_type.
enum class TokenType : int32_t {
    Undefined = 0,    // treated as Normal
    Normal = 1,       // text in GPT-2's byte-to-unicode form
    Unknown = 2,      // never produced, decodes to nothing
    Control = 3,      // raw text; matched only when parseSpecial is set
    UserDefined = 4,  // raw text; always matched
    Unused = 5,       // padding rows ([PAD151665]); never produced, decodes to nothing
    Byte = 6,         // "<0xAB>": decodes to that byte
};

// What a Tokenizer is built from. Field names follow the GGUF keys
// tokenizer.ggml.{model, pre, tokens, token_type, merges, bos_token_id,
// eos_token_id, add_bos_token}.
struct TokenizerVocab {
    std::string model = "gpt2";       // only "gpt2" (byte-level BPE) is supported
    std::string pre;                  // "qwen2", "deepseek-r1-qwen", "llama-bpe" (or "llama3")
    std::vector<std::string> tokens;  // index = token id
    std::vector<int32_t> tokenType;   // TokenType per token; empty means all Normal
    std::vector<std::string> merges;  // "left right" in byte-to-unicode form, best first
    int32_t bosTokenId = -1;          // -1: none
    int32_t eosTokenId = -1;          // -1: none
    bool addBosToken = false;         // whether prompts should start with BOS
};

class Tokenizer {
public:
    // Unsupported for another model or pre-tokenizer; Malformed for counts,
    // ids or merges that do not fit together.
    static Result<Tokenizer> create(TokenizerVocab vocab);

    // Token ids for `text` (UTF-8), with BOS first when addBos is set and the
    // vocabulary has one. Never fails: any byte sequence has an encoding.
    std::vector<int32_t> encode(std::string_view text, bool addBos, bool parseSpecial) const;

    // The UTF-8 text of `ids`. Control tokens are written as their text when
    // renderControl is set; unknown ids are skipped; byte sequences that are
    // not valid UTF-8 become U+FFFD (one per maximal invalid subpart, as
    // WHATWG's decoder and the reference do).
    std::string decode(std::span<const int32_t> ids, bool renderControl = true) const;

    // The token's text as the vocabulary stores it (byte-to-unicode form for
    // normal tokens, raw text for added ones); empty for an id out of range.
    std::string_view tokenText(int32_t id) const;
    // The raw bytes the token stands for when decoded (possibly part of a
    // UTF-8 character); empty for an id out of range.
    std::string_view tokenBytes(int32_t id) const;
    // Undefined for an id out of range.
    TokenType tokenType(int32_t id) const;
    // The id of the token whose vocabulary text is exactly `text`. Added
    // tokens are stored as raw text, so findToken("<think>") works; look
    // special tokens up this way, never by a hard-coded id.
    std::optional<int32_t> findToken(std::string_view text) const;

    int32_t bos() const;  // -1 when the vocabulary has none
    int32_t eos() const;  // -1 when the vocabulary has none
    bool addBos() const;  // tokenizer.ggml.add_bos_token
    int32_t vocabSize() const;
    std::string_view preTokenizer() const;

    // Defined in the implementation; named here only so its helpers can.
    struct Data;

private:
    explicit Tokenizer(std::shared_ptr<const Data> data);
    std::shared_ptr<const Data> m_data;

    friend class TokenDecoder;
};

} // namespace ponder
