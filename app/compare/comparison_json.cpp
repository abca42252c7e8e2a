#include "comparison_json.h"

#include <QStringList>

#include <cmath>
#include <cstdint>
#include <limits>

namespace ponder::app::comparison_json {
namespace {

QString str(const std::string& text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::string std8(const QJsonValue& value)
{
    return value.toString().toStdString();
}

// JSON has no NaN or infinity: both become null; read back as 0.
QJsonValue number(double value)
{
    return std::isfinite(value) ? QJsonValue(value) : QJsonValue();
}

template <typename T>
QJsonArray numbers(const std::vector<T>& values)
{
    QJsonArray array;
    for (const T& value : values)
        array.append(number(double(value)));
    return array;
}

template <typename T>
std::vector<T> numbersFrom(const QJsonArray& array)
{
    std::vector<T> values;
    values.reserve(size_t(array.size()));
    for (const QJsonValue& value : array)
        values.push_back(T(value.toDouble()));
    return values;
}

std::vector<int32_t> idsFrom(const QJsonArray& array)
{
    std::vector<int32_t> ids;
    ids.reserve(size_t(array.size()));
    for (const QJsonValue& value : array)
        ids.push_back(int32_t(value.toInteger()));
    return ids;
}

StopReason stopReasonNamed(const QString& name)
{
    for (StopReason reason : {StopReason::EndOfTurn, StopReason::MaxTokens, StopReason::Cancelled, StopReason::ContextFull})
        if (name == QString::fromUtf8(stopReasonName(reason).data(), qsizetype(stopReasonName(reason).size())))
            return reason;
    return StopReason::EndOfTurn;
}

QJsonObject statisticsToJson(const DivergenceStatistics& s)
{
    const QStringList names = statisticNames();
    QJsonObject object;
    object[names[0]] = number(s.meanKl);
    object[names[1]] = number(s.medianKl);
    object[names[2]] = number(s.kl99);
    object[names[3]] = number(s.kl999);
    object[names[4]] = number(s.maxKl);
    object[names[5]] = number(s.sameTopPercent);
    object[names[6]] = number(s.rmsDeltaPPercent);
    object[names[7]] = number(s.perplexityRatio);
    object["PPL(base)"] = number(s.referencePerplexity);
    object["PPL(Q)"] = number(s.candidatePerplexity);
    object["positions"] = qint64(s.positions);
    return object;
}

} // namespace

QJsonArray promptsToJson(const std::vector<ComparisonPrompt>& prompts)
{
    QJsonArray array;
    for (const ComparisonPrompt& prompt : prompts)
        array.append(QJsonObject{{"id", str(prompt.id)},
                                 {"category", str(prompt.category)},
                                 {"text", str(prompt.text)},
                                 {"expected", str(prompt.expected)}});
    return array;
}

std::expected<std::vector<ComparisonPrompt>, QString> promptsFromJson(const QJsonArray& array)
{
    std::vector<ComparisonPrompt> prompts;
    for (const QJsonValue& value : array) {
        if (!value.isObject())
            return std::unexpected(QStringLiteral("a prompt is not an object"));
        const QJsonObject object = value.toObject();
        prompts.push_back({std8(object["id"]), std8(object["category"]), std8(object["text"]), std8(object["expected"])});
    }
    if (prompts.empty())
        return std::unexpected(QStringLiteral("no prompts"));
    return prompts;
}

QJsonObject detailToJson(const ModelComparison& model, const ComparedFile& file)
{
    QJsonArray answers;
    for (const PromptAnswer& answer : model.answers)
        answers.append(QJsonObject{
            {"text", str(answer.text)},
            {"tokens", numbers(answer.tokens)},
            {"reasoningTokens", qint64(answer.reasoningTokens)},
            {"tokensPerSecond", number(answer.tokensPerSecond)},
            {"stopReason", QString::fromUtf8(stopReasonName(answer.stopReason).data(),
                                             qsizetype(stopReasonName(answer.stopReason).size()))}});
    QJsonArray divergence;
    for (const PromptDivergence& prompt : model.divergence) {
        const DivergenceReport& r = prompt.report;
        divergence.append(QJsonObject{
            {"kl", numbers(r.kl)},
            {"sameTop", numbers(r.sameTop)},
            {"referenceLogProb", numbers(r.referenceLogProb)},
            {"candidateLogProb", numbers(r.candidateLogProb)},
            {"meanKl", number(r.meanKl)},
            {"maxKl", number(r.maxKl)},
            {"top1Agreement", number(r.top1Agreement)},
            {"referencePerplexity", number(r.referencePerplexity)},
            {"candidatePerplexity", number(r.candidatePerplexity)},
            {"top", topToJson(prompt.top)},
            {"firstDeparture", prompt.firstDeparture == SIZE_MAX ? qint64(-1) : qint64(prompt.firstDeparture)}});
    }
    QJsonArray departures;
    for (const Departure& d : file.departures)
        departures.append(QJsonArray{d.offset, d.length, d.referenceLength});
    return {{"answers", answers}, {"divergence", divergence}, {"departures", departures}};
}

std::expected<void, QString> detailFromJson(const QJsonObject& object, size_t prompts, ModelComparison& model,
                                            ComparedFile& file)
{
    const QJsonArray answers = object["answers"].toArray();
    const QJsonArray divergence = object["divergence"].toArray();
    const QJsonArray departures = object["departures"].toArray();
    if (size_t(answers.size()) != prompts)
        return std::unexpected(QStringLiteral("%1 answers for %2 prompts").arg(answers.size()).arg(prompts));
    if (!divergence.isEmpty() && size_t(divergence.size()) != prompts)
        return std::unexpected(QStringLiteral("divergence for %1 of %2 prompts").arg(divergence.size()).arg(prompts));
    model.answers.clear();
    for (const QJsonValue& value : answers) {
        const QJsonObject a = value.toObject();
        PromptAnswer answer;
        answer.text = std8(a["text"]);
        answer.tokens = idsFrom(a["tokens"].toArray());
        answer.reasoningTokens = uint32_t(a["reasoningTokens"].toInteger());
        answer.tokensPerSecond = a["tokensPerSecond"].toDouble();
        answer.stopReason = stopReasonNamed(a["stopReason"].toString());
        model.answers.push_back(std::move(answer));
    }
    model.divergence.clear();
    for (const QJsonValue& value : divergence) {
        const QJsonObject d = value.toObject();
        PromptDivergence prompt;
        DivergenceReport& r = prompt.report;
        r.kl = numbersFrom<double>(d["kl"].toArray());
        r.sameTop = numbersFrom<uint8_t>(d["sameTop"].toArray());
        r.referenceLogProb = numbersFrom<double>(d["referenceLogProb"].toArray());
        r.candidateLogProb = numbersFrom<double>(d["candidateLogProb"].toArray());
        if (r.sameTop.size() != r.kl.size() || r.referenceLogProb.size() != r.kl.size() ||
            r.candidateLogProb.size() != r.kl.size())
            return std::unexpected(QStringLiteral("the per-token divergence arrays disagree in length"));
        r.meanKl = d["meanKl"].toDouble();
        r.maxKl = d["maxKl"].toDouble();
        r.top1Agreement = d["top1Agreement"].toDouble();
        r.referencePerplexity = d["referencePerplexity"].toDouble();
        r.candidatePerplexity = d["candidatePerplexity"].toDouble();
        prompt.top = topFromJson(d["top"].toArray());
        const qint64 first = d["firstDeparture"].toInteger(-1);
        prompt.firstDeparture = first < 0 ? SIZE_MAX : size_t(first);
        model.divergence.push_back(std::move(prompt));
    }
    file.departures.clear();
    for (const QJsonValue& value : departures) {
        const QJsonArray d = value.toArray();
        file.departures.push_back({d[0].toInt(-1), d[1].toInt(), d[2].toInt()});
    }
    file.departures.resize(prompts);
    return {};
}

QJsonArray piecesToJson(const std::vector<std::string>& pieces)
{
    QJsonArray array;
    for (const std::string& piece : pieces)
        array.append(str(piece));
    return array;
}

std::vector<std::string> piecesFromJson(const QJsonArray& array)
{
    std::vector<std::string> pieces;
    pieces.reserve(size_t(array.size()));
    for (const QJsonValue& value : array)
        pieces.push_back(std8(value));
    return pieces;
}

QJsonArray topToJson(const std::vector<TokenProbability>& top)
{
    QJsonArray array;
    for (const TokenProbability& entry : top)
        array.append(QJsonArray{entry.token, number(entry.probability)});
    return array;
}

std::vector<TokenProbability> topFromJson(const QJsonArray& array)
{
    std::vector<TokenProbability> top;
    top.reserve(size_t(array.size()));
    for (const QJsonValue& value : array) {
        const QJsonArray entry = value.toArray();
        top.push_back({int32_t(entry[0].toInteger()), entry[1].toDouble()});
    }
    return top;
}

QJsonObject tokenTextsToJson(const QHash<int, QString>& texts)
{
    QJsonObject object;
    for (auto it = texts.begin(); it != texts.end(); ++it)
        object[QString::number(it.key())] = it.value();
    return object;
}

QHash<int, QString> tokenTextsFromJson(const QJsonObject& object)
{
    QHash<int, QString> texts;
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        const int id = it.key().toInt(&ok);
        if (ok)
            texts.insert(id, it.value().toString());
    }
    return texts;
}

QJsonDocument exportDocument(const Comparison& comparison)
{
    const ComparisonResult& result = comparison.result;
    QJsonArray models;
    for (size_t m = 0; m < result.models.size(); ++m) {
        const ModelComparison& model = result.models[m];
        const ComparedFile file = m < comparison.files.size() ? comparison.files[m] : ComparedFile{};
        QJsonArray answers;
        for (size_t p = 0; p < model.answers.size(); ++p) {
            const PromptAnswer& answer = model.answers[p];
            const AnswerParts parts = splitAnswer(str(answer.text), answer.reasoningTokens > 0);
            QJsonObject entry{{"prompt", p < comparison.prompts.size() ? str(comparison.prompts[p].id) : QString()},
                              {"reasoning", parts.reasoning},
                              {"answer", parts.answer},
                              {"tokens", qint64(answer.tokens.size())},
                              {"reasoningTokens", qint64(answer.reasoningTokens)},
                              {"tokensPerSecond", number(answer.tokensPerSecond)}};
            if (p < model.divergence.size()) {
                const size_t first = model.divergence[p].firstDeparture;
                entry["firstDeparture"] = first == SIZE_MAX ? QJsonValue() : QJsonValue(qint64(first));
                entry["meanKld"] = number(model.divergence[p].report.meanKl);
            }
            answers.append(entry);
        }
        QJsonObject object{{"path", str(model.path)},
                           {"fileType", str(model.fileType)},
                           {"modelId", file.modelId},
                           {"quant", file.quant},
                           {"reference", m == result.reference},
                           {"fileBytes", qint64(model.fileBytes)},
                           {"memoryBytes", qint64(file.memoryBytes)},
                           {"bitsPerWeight", number(model.bitsPerWeight)},
                           {"tokensPerSecond", number(model.tokensPerSecond)},
                           {"meanReasoningTokens", number(model.meanReasoningTokens)},
                           {"answers", answers}};
        if (m != result.reference)
            object["statistics"] = statisticsToJson(model.statistics);
        models.append(object);
    }
    QJsonArray heat;
    for (size_t p = 0; p < result.referencePieces.size(); ++p) {
        QJsonObject kl;
        for (size_t m = 0; m < result.models.size(); ++m)
            if (m != result.reference && p < result.models[m].divergence.size())
                kl[str(result.models[m].fileType) + QStringLiteral(" #%1").arg(m)] =
                    numbers(result.models[m].divergence[p].report.kl);
        heat.append(QJsonObject{{"tokens", piecesToJson(result.referencePieces[p])}, {"kld", kl}});
    }
    QJsonObject root{{"title", comparison.title},
                     {"created", comparison.created.toString(Qt::ISODate)},
                     {"evaluationSet", comparison.evaluationSet},
                     {"seed", QString::number(comparison.seed)},
                     {"maxTokens", comparison.maxTokens},
                     {"device", comparison.device},
                     {"reference", qint64(result.reference)},
                     {"prompts", promptsToJson(comparison.prompts)},
                     {"models", models},
                     {"referenceTokens", heat}};
    return QJsonDocument(root);
}

} // namespace ponder::app::comparison_json
