// The immutable state behind a Tokenizer handle, shared with TokenDecoder.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ponder/tokenizer.h"
#include "tokenizer/bpe.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/special_tokens.h"

namespace ponder {

struct Tokenizer::Data {
    std::string pre;
    PreTokenizerStyle style;
    std::optional<PreTokenizer> preTokenizer;

    std::vector<std::string> texts;  // as the vocabulary stores them
    std::vector<std::string> bytes;  // what each token decodes to
    std::vector<TokenType> types;
    // Views into `texts` and `bytes`, which never change once built. The
    // first id wins where two tokens share a text.
    std::unordered_map<std::string_view, int32_t> byText;
    std::unordered_map<std::string_view, int32_t> normalByBytes;  // for ignore_merges

    std::array<int32_t, 256> byteToken{};  // -1 where the vocabulary lacks the byte
    BpeMerges merges;
    SpecialTokenMatcher specials;

    int32_t bos = -1;
    int32_t eos = -1;
    bool addBos = false;

    // The bytes `id` decodes to: nothing for an unknown id, or for a control
    // token unless renderControl is set.
    std::string_view piece(int32_t id, bool renderControl) const
    {
        if (id < 0 || size_t(id) >= bytes.size())
            return {};
        if (!renderControl && types[size_t(id)] == TokenType::Control)
            return {};
        return bytes[size_t(id)];
    }
};

} // namespace ponder
