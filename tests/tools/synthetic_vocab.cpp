#include "synthetic_vocab.h"

#include <array>
#include <string>
#include <string_view>

namespace ponder::testing {
namespace {

// GPT-2's byte-to-unicode alphabet: printable bytes stand for themselves,
// the rest take U+0100 onwards in byte order.
std::string byteToken(uint8_t byte)
{
    const bool printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || byte >= 0xae;
    char32_t code = byte;
    if (!printable) {
        uint32_t rank = 0;
        for (uint32_t b = 0; b < byte; ++b)
            if (!((b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae))
                ++rank;
        code = 0x100 + rank;
    }
    std::string utf8;
    if (code < 0x80) {
        utf8 += char(code);
    } else {
        utf8 += char(0xc0 | (code >> 6));
        utf8 += char(0x80 | (code & 0x3f));
    }
    return utf8;
}

constexpr std::array<std::string_view, 7> kSpecials{
    "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>",
    "<|EOT|>", "<think>", "</think>",
};

} // namespace

TokenizerVocab syntheticR1Vocab(uint32_t size)
{
    TokenizerVocab vocab;
    vocab.model = "gpt2";
    vocab.pre = "deepseek-r1-qwen";
    for (uint32_t b = 0; b < 256; ++b) {
        vocab.tokens.push_back(byteToken(uint8_t(b)));
        vocab.tokenType.push_back(int32_t(TokenType::Normal));
    }
    // Merges of frequent English pairs: a space (Ġ) or a letter, then a letter.
    const uint32_t mergeCount = size > 256 + kSpecials.size() ? size - 256 - uint32_t(kSpecials.size()) : 0;
    const std::string_view firsts = " etaoinshrdlucmfwypvbgkjqxz";
    const std::string_view seconds = "etaoinshrdlucmfwypvbgkjqxz";
    for (size_t i = 0; vocab.merges.size() < mergeCount && i < firsts.size(); ++i) {
        for (size_t j = 0; vocab.merges.size() < mergeCount && j < seconds.size(); ++j) {
            const std::string left = byteToken(uint8_t(firsts[i]));
            const std::string right = byteToken(uint8_t(seconds[j]));
            vocab.merges.push_back(left + " " + right);
            vocab.tokens.push_back(left + right);
            vocab.tokenType.push_back(int32_t(TokenType::Normal));
        }
    }
    // Pad with unused tokens if the pairs ran out before `size`.
    while (vocab.tokens.size() + kSpecials.size() < size) {
        vocab.tokens.push_back("[PAD" + std::to_string(vocab.tokens.size()) + "]");
        vocab.tokenType.push_back(int32_t(TokenType::Unused));
    }
    for (std::string_view special : kSpecials) {
        const bool control = special != "<think>" && special != "</think>";
        vocab.tokens.emplace_back(special);
        vocab.tokenType.push_back(int32_t(control ? TokenType::Control : TokenType::UserDefined));
    }
    vocab.bosTokenId = int32_t(vocab.tokens.size() - kSpecials.size());
    vocab.eosTokenId = vocab.bosTokenId + 1;
    vocab.addBosToken = true;
    return vocab;
}

} // namespace ponder::testing
