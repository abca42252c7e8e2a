// The tokenizer's GGUF metadata (tokenizer.ggml.*): read into a
// TokenizerVocab, and written from one (the test-model generator).
#pragma once

#include <cstdint>

#include "ponder/error.h"
#include "ponder/tokenizer.h"

namespace ponder {

class GgufHeader;
class GgufWriter;

// Reads tokenizer.ggml.{model, pre, tokens, token_type, merges, bos_token_id,
// eos_token_id, add_bos_token}. Malformed when a key has the wrong type or
// the arrays disagree in length or hold more than `maxTokens` entries (checked
// before anything is copied: pass the embedding table's rows); NotFound when
// the file has no vocabulary.
Result<TokenizerVocab> readTokenizerVocab(const GgufHeader& header, uint64_t maxTokens = UINT64_MAX);

// readTokenizerVocab() then Tokenizer::create().
Result<Tokenizer> loadTokenizer(const GgufHeader& header, uint64_t maxTokens = UINT64_MAX);

// Adds the tokenizer.ggml.* keys for `vocab` to a file being written.
void writeTokenizerVocab(GgufWriter& writer, const TokenizerVocab& vocab);

} // namespace ponder
