// The promises fuzz_model_file checks, one function per engine unit. Each
// traps on a broken promise, so that libFuzzer keeps the input.
#pragma once

#include <string_view>

#include "ponder/gguf.h"
#include "ponder/model_info.h"
#include "ponder/tokenizer.h"

namespace ponder::fuzz {

inline void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// Written here rather than taken from the tokenizer, which is under test.
bool isValidUtf8(std::string_view text);

// A ModelInfo that readModelInfo() accepted: consistent with the header and
// within the bounds the engine's 32-bit widths rely on.
void checkModelInfo(const GgufHeader& header, const ModelInfo& info);

// Plans at a few context lengths, batch sizes and device limits: each one
// that succeeds has every region inside its buffer, no two regions
// overlapping, and totals that add up without wrapping.
void checkMemoryPlans(const ModelInfo& info);

// Fixed texts (ASCII, CJK, R1's markers, invalid UTF-8) encoded and decoded:
// ids inside the vocabulary, decoded text valid UTF-8, the streaming decoder
// equal to decode(); every id of the vocabulary decoded and looked up, with
// the type `header` gives it.
void checkTokenizer(const Tokenizer& tokenizer, const GgufHeader& header);

// The format detected from the file's template, and the others, rendered for
// a small conversation and tokenized as the generator does.
void checkChat(const Tokenizer& tokenizer, std::string_view chatTemplate);

} // namespace ponder::fuzz
