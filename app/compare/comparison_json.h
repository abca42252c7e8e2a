// A comparison's parts as JSON: what the store keeps in its text columns
// (each model's answers and per-token divergence, the prompts, the
// reference's pieces and top tokens) and the whole comparison as the export
// writes it (exportDocument: every statistic under llama.cpp's name, every
// answer). Reading checks shapes: a detail whose arrays disagree in length
// with its answer is an error, never an out-of-range read later.
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <expected>
#include <vector>

#include "comparison.h"

namespace ponder::app::comparison_json {

QJsonArray promptsToJson(const std::vector<ComparisonPrompt>& prompts);
std::expected<std::vector<ComparisonPrompt>, QString> promptsFromJson(const QJsonArray& array);

// A model's answers, divergence (empty for the reference) and departures.
QJsonObject detailToJson(const ModelComparison& model, const ComparedFile& file);
// Fills `model`'s answers and divergence and `file`'s departures; `prompts`
// answers are expected.
std::expected<void, QString> detailFromJson(const QJsonObject& object, size_t prompts, ModelComparison& model,
                                            ComparedFile& file);

QJsonArray piecesToJson(const std::vector<std::string>& pieces);
std::vector<std::string> piecesFromJson(const QJsonArray& array);
// Top tokens, `perRow` to a position, as [[id, p], ...].
QJsonArray topToJson(const std::vector<TokenProbability>& top);
std::vector<TokenProbability> topFromJson(const QJsonArray& array);

QJsonObject tokenTextsToJson(const QHash<int, QString>& texts);
QHash<int, QString> tokenTextsFromJson(const QJsonObject& object);

// The whole comparison for people and scripts: settings, prompts, each
// model with its statistics (llama.cpp's names), speed, memory and answers,
// and per prompt the reference's tokens with each quant's KL at each.
QJsonDocument exportDocument(const Comparison& comparison);

} // namespace ponder::app::comparison_json
