// A small byte-level BPE vocabulary for generated test models: the 256 byte
// tokens, merges of common ASCII pairs up to the requested size, and the
// DeepSeek-R1 special tokens, so every generated model can tokenize any text
// and render the R1 chat template.
#pragma once

#include <cstdint>

#include "ponder/tokenizer.h"

namespace ponder::testing {

// `size` tokens in all (at least 256 + the 7 specials).
TokenizerVocab syntheticR1Vocab(uint32_t size);

} // namespace ponder::testing
