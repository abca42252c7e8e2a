// One comparison of quants as the app keeps it: what was asked (the
// prompts, the seed), the engine's result (quant_comparison.h) and what the
// app knows beside it about each file (its catalog model and quant, the
// memory it took on this device, where its answers first depart from the
// reference's, as text offsets). The store saves and reopens it whole; the
// page's list models read it.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <vector>

#include "ponder/quant_comparison.h"

namespace ponder::app {

// Where a model's answer first departs from the reference's, in its text
// (UTF-16 offsets into PromptAnswer::text as a QString); offset -1: nowhere.
struct Departure {
    int offset = -1;
    int length = 0;          // of the departing token's text
    int referenceLength = 0; // of the reference's token at that place
};

struct ComparedFile {
    QString modelId;          // catalog model ("qwen-7b"); empty when the file is not in the catalog
    QString quant;            // catalog quant ("Q4_K_M"); empty likewise
    quint64 memoryBytes = 0;  // what its backend allocated on this device (0: unknown)
    std::vector<Departure> departures;  // per prompt
};

struct Comparison {
    qint64 id = -1;               // in the store; -1 until saved
    QDateTime created;
    QString title;                // the prompt's first line, or "Evaluation set (N prompts)"
    bool evaluationSet = false;
    quint64 seed = 0;
    int maxTokens = 0;
    QString device;               // where it ran, in words
    std::vector<ComparisonPrompt> prompts;
    ComparisonResult result;
    std::vector<ComparedFile> files;  // per model, as result.models
    // The text of every token in the top-token lists (the heat map's
    // hover), read once from the tokenizer the models share.
    QHash<int, QString> tokenTexts;
};

// An answer's text split into its reasoning and what follows: the R1
// template pre-fills "<think>\n" in the prompt, so an answer holds the
// reasoning, "</think>", then the answer (a "<think>" of its own is
// skipped). Offsets are into the QString of the whole text.
struct AnswerParts {
    QString reasoning;
    QString answer;
    int reasoningStart = 0;  // offset of reasoning[0] in the text
    int answerStart = 0;     // offset of answer[0] in the text
};
AnswerParts splitAnswer(const QString& text, bool hasReasoning);

// llama.cpp's perplexity tool's names for the statistics, in its order.
QStringList statisticNames();

} // namespace ponder::app
