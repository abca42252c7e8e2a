// A hand-made byte-level vocabulary for tokenizer unit tests: ids 0..255 are
// the single bytes (id = byte value), then one token per merge result, then
// any extra tokens, then added tokens. The GPT-2 byte alphabet is written out
// here independently of the engine's, so the tests check it too.
#pragma once

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

#include "ponder/tokenizer.h"

namespace ponder::test {

// GPT-2's alphabet: printable bytes stand for themselves, the other 68 take
// U+0100 upwards in byte order.
inline QString byteLevel(const std::string& bytes)
{
    QString text;
    for (const char c : bytes) {
        const auto byte = uint8_t(c);
        const bool prints = (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || byte >= 0xAE;
        if (prints) {
            text += QChar(char16_t(byte));
        } else {
            int shifted = 0;
            for (int b = 0; b < byte; ++b) {
                const bool p = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
                shifted += p ? 0 : 1;
            }
            text += QChar(char16_t(0x100 + shifted));
        }
    }
    return text;
}

struct AddedToken {
    QString text;
    TokenType type;
};

// `merges` and `extra` are in the byte-level alphabet ("Ġ t", "Ġthe").
inline TokenizerVocab tinyVocab(const QString& pre, const QStringList& merges, const QStringList& extra = {},
                                const std::vector<AddedToken>& added = {})
{
    TokenizerVocab vocab;
    vocab.pre = pre.toStdString();
    for (int b = 0; b < 256; ++b)
        vocab.tokens.push_back(byteLevel(std::string(1, char(b))).toStdString());
    auto addToken = [&](const QString& text) {
        const std::string utf8 = text.toStdString();
        for (const auto& token : vocab.tokens) {
            if (token == utf8)
                return;
        }
        vocab.tokens.push_back(utf8);
    };
    for (const QString& merge : merges) {
        vocab.merges.push_back(merge.toStdString());
        addToken(QString(merge).remove(' '));
    }
    for (const QString& token : extra)
        addToken(token);
    vocab.tokenType.assign(vocab.tokens.size(), int32_t(TokenType::Normal));
    for (const auto& token : added) {
        vocab.tokens.push_back(token.text.toStdString());
        vocab.tokenType.push_back(int32_t(token.type));
    }
    return vocab;
}

} // namespace ponder::test
