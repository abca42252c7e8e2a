#include "comparison_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <atomic>

#include "comparison_json.h"
#include "comparison_schema.h"
#include "store_sql.h"

Q_LOGGING_CATEGORY(lcComparisonStore, "ponder.compare.store")

namespace ponder::app {
namespace {

QString compactJson(const QJsonArray& array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QString compactJson(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::expected<QJsonDocument, QString> parseJson(const QVariant& value)
{
    QJsonParseError error;
    QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(error.errorString());
    return document;
}

} // namespace

ComparisonStore::ComparisonStore(QObject* parent) : QObject(parent)
{
    static std::atomic<int> instances{0};
    m_connection = QStringLiteral("ponder.compare.store.%1").arg(instances++);
}

ComparisonStore::~ComparisonStore()
{
    close();
}

QString ComparisonStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/comparisons.sqlite");
}

bool ComparisonStore::fail(const QString& message)
{
    qCWarning(lcComparisonStore) << message;
    m_errorString = message;
    return false;
}

bool ComparisonStore::open(const QString& path)
{
    close();
    m_errorString.clear();
    const QString file = path.isEmpty() ? defaultPath() : path;
    QDir().mkpath(QFileInfo(file).absolutePath());
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    m_db.setDatabaseName(file);
    if (!m_db.open()) {
        const QString error = m_db.lastError().text();
        close();
        return fail(tr("Cannot open the comparisons database %1: %2").arg(file, error));
    }
    {
        QSqlQuery pragma(m_db);
        pragma.exec(QStringLiteral("PRAGMA foreign_keys = ON"));
        pragma.exec(QStringLiteral("PRAGMA journal_mode = WAL"));  // returns a row: finished as it goes out of scope
    }
    if (const QString error = comparison_schema::migrate(m_db); !error.isEmpty()) {
        close();
        return fail(tr("Cannot use the comparisons database %1: %2").arg(file, error));
    }
    m_path = file;
    return true;
}

void ComparisonStore::close()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }
    m_path.clear();
}

qint64 ComparisonStore::save(const Comparison& comparison)
{
    if (!isOpen())
        return fail(tr("The comparisons database is not open.")), -1;
    const ComparisonResult& result = comparison.result;
    if (result.models.empty() || comparison.files.size() != result.models.size() ||
        result.referencePieces.size() != comparison.prompts.size() ||
        result.referenceTop.size() != comparison.prompts.size() ||
        result.referenceLogits.size() != comparison.prompts.size())
        return fail(tr("The comparison is incomplete; it was not saved.")), -1;

    sql::Transaction transaction(m_db);
    if (!transaction.begun())
        return fail(tr("Cannot save the comparison: %1").arg(m_db.lastError().text())), -1;
    QSqlQuery query(m_db);
    const QDateTime created = comparison.created.isValid() ? comparison.created : QDateTime::currentDateTimeUtc();
    if (!sql::exec(query,
                   "INSERT INTO comparisons (created_ms, title, evaluation_set, seed, max_tokens, device, reference, "
                   "prompts, token_texts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   {created.toMSecsSinceEpoch(), sql::text(comparison.title), comparison.evaluationSet ? 1 : 0,
                    // SQLite integers are signed: the seed's 64 bits kept as they are.
                    qint64(comparison.seed), comparison.maxTokens, sql::text(comparison.device),
                    qint64(result.reference), compactJson(comparison_json::promptsToJson(comparison.prompts)),
                    compactJson(comparison_json::tokenTextsToJson(comparison.tokenTexts))}))
        return fail(tr("Cannot save the comparison: %1").arg(query.lastError().text())), -1;
    const qint64 id = query.lastInsertId().toLongLong();

    for (size_t m = 0; m < result.models.size(); ++m) {
        const ModelComparison& model = result.models[m];
        const ComparedFile& file = comparison.files[m];
        const DivergenceStatistics& s = model.statistics;
        if (!sql::exec(query,
                       "INSERT INTO comparison_models (comparison_id, position, path, file_type, model_id, quant, "
                       "file_bytes, memory_bytes, bits_per_weight, positions, mean_kld, median_kld, kld_99, kld_999, "
                       "max_kld, same_top_percent, rms_delta_p_percent, reference_ppl, candidate_ppl, ppl_ratio, "
                       "tokens_per_second, mean_reasoning_tokens, detail) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {id, qint64(m), QString::fromStdString(model.path), QString::fromStdString(model.fileType),
                        sql::text(file.modelId), sql::text(file.quant), qint64(model.fileBytes),
                        qint64(file.memoryBytes), model.bitsPerWeight, qint64(s.positions), s.meanKl, s.medianKl,
                        s.kl99, s.kl999, s.maxKl, s.sameTopPercent, s.rmsDeltaPPercent, s.referencePerplexity,
                        s.candidatePerplexity, s.perplexityRatio, model.tokensPerSecond, model.meanReasoningTokens,
                        compactJson(comparison_json::detailToJson(model, file))}))
            return fail(tr("Cannot save the comparison: %1").arg(query.lastError().text())), -1;
    }
    for (size_t p = 0; p < comparison.prompts.size(); ++p) {
        const std::vector<uint8_t> bytes = result.referenceLogits[p].toBytes();
        if (!sql::exec(query,
                       "INSERT INTO reference_prompts (comparison_id, prompt, pieces, top, logits) VALUES (?, ?, ?, ?, ?)",
                       {id, qint64(p), compactJson(comparison_json::piecesToJson(result.referencePieces[p])),
                        compactJson(comparison_json::topToJson(result.referenceTop[p])),
                        QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()))}))
            return fail(tr("Cannot save the comparison: %1").arg(query.lastError().text())), -1;
    }
    if (!transaction.commit())
        return fail(tr("Cannot save the comparison: %1").arg(m_db.lastError().text())), -1;
    emit changed();
    return id;
}

std::expected<Comparison, QString> ComparisonStore::load(qint64 id)
{
    auto damaged = [&](const QString& what) {
        return std::unexpected(tr("Comparison %1 cannot be opened: %2").arg(id).arg(what));
    };
    if (!isOpen())
        return std::unexpected(tr("The comparisons database is not open."));
    QSqlQuery query(m_db);
    if (!sql::exec(query,
                   "SELECT created_ms, title, evaluation_set, seed, max_tokens, device, reference, prompts, token_texts "
                   "FROM comparisons WHERE id = ?",
                   {id}))
        return damaged(query.lastError().text());
    if (!query.next())
        return damaged(tr("it is not in the database"));
    Comparison comparison;
    comparison.id = id;
    comparison.created = QDateTime::fromMSecsSinceEpoch(query.value(0).toLongLong(), Qt::UTC);
    comparison.title = query.value(1).toString();
    comparison.evaluationSet = query.value(2).toBool();
    comparison.seed = quint64(query.value(3).toLongLong());
    comparison.maxTokens = query.value(4).toInt();
    comparison.device = query.value(5).toString();
    const qint64 reference = query.value(6).toLongLong();
    const auto promptsJson = parseJson(query.value(7));
    if (!promptsJson)
        return damaged(tr("its prompts are damaged (%1)").arg(promptsJson.error()));
    auto prompts = comparison_json::promptsFromJson(promptsJson->array());
    if (!prompts)
        return damaged(tr("its prompts are damaged (%1)").arg(prompts.error()));
    comparison.prompts = std::move(*prompts);
    const auto tokenTexts = parseJson(query.value(8));
    if (!tokenTexts)
        return damaged(tr("its token texts are damaged (%1)").arg(tokenTexts.error()));
    comparison.tokenTexts = comparison_json::tokenTextsFromJson(tokenTexts->object());
    const size_t promptCount = comparison.prompts.size();

    ComparisonResult& result = comparison.result;
    if (!sql::exec(query,
                   "SELECT path, file_type, model_id, quant, file_bytes, memory_bytes, bits_per_weight, positions, "
                   "mean_kld, median_kld, kld_99, kld_999, max_kld, same_top_percent, rms_delta_p_percent, "
                   "reference_ppl, candidate_ppl, ppl_ratio, tokens_per_second, mean_reasoning_tokens, detail "
                   "FROM comparison_models WHERE comparison_id = ? ORDER BY position",
                   {id}))
        return damaged(query.lastError().text());
    while (query.next()) {
        ModelComparison model;
        ComparedFile file;
        model.path = query.value(0).toString().toStdString();
        model.fileType = query.value(1).toString().toStdString();
        file.modelId = query.value(2).toString();
        file.quant = query.value(3).toString();
        model.fileBytes = quint64(query.value(4).toLongLong());
        file.memoryBytes = quint64(query.value(5).toLongLong());
        model.bitsPerWeight = query.value(6).toDouble();
        DivergenceStatistics& s = model.statistics;
        s.positions = size_t(query.value(7).toLongLong());
        s.meanKl = query.value(8).toDouble();
        s.medianKl = query.value(9).toDouble();
        s.kl99 = query.value(10).toDouble();
        s.kl999 = query.value(11).toDouble();
        s.maxKl = query.value(12).toDouble();
        s.sameTopPercent = query.value(13).toDouble();
        s.rmsDeltaPPercent = query.value(14).toDouble();
        s.referencePerplexity = query.value(15).toDouble();
        s.candidatePerplexity = query.value(16).toDouble();
        s.perplexityRatio = query.value(17).toDouble();
        model.tokensPerSecond = query.value(18).toDouble();
        model.meanReasoningTokens = query.value(19).toDouble();
        const auto detail = parseJson(query.value(20));
        if (!detail)
            return damaged(tr("the details of %1 are damaged (%2)").arg(query.value(1).toString(), detail.error()));
        if (auto read = comparison_json::detailFromJson(detail->object(), promptCount, model, file); !read)
            return damaged(tr("the details of %1 are damaged (%2)").arg(query.value(1).toString(), read.error()));
        result.models.push_back(std::move(model));
        comparison.files.push_back(std::move(file));
    }
    if (result.models.size() < 2 || reference < 0 || size_t(reference) >= result.models.size())
        return damaged(tr("its list of models is damaged"));
    result.reference = size_t(reference);

    if (!sql::exec(query, "SELECT prompt, pieces, top, logits FROM reference_prompts WHERE comparison_id = ? ORDER BY prompt",
                   {id}))
        return damaged(query.lastError().text());
    while (query.next()) {
        const qint64 prompt = query.value(0).toLongLong();
        if (prompt != qint64(result.referenceLogits.size()))
            return damaged(tr("the reference's answers are out of order"));
        const auto pieces = parseJson(query.value(1));
        const auto top = parseJson(query.value(2));
        if (!pieces || !top)
            return damaged(tr("the reference's tokens of prompt %1 are damaged").arg(prompt + 1));
        const QByteArray blob = query.value(3).toByteArray();
        auto logits = CompactLogits::fromBytes(
            std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(blob.constData()), size_t(blob.size())));
        if (!logits)
            return damaged(tr("the reference's logits of prompt %1 are damaged (%2)")
                               .arg(prompt + 1)
                               .arg(QString::fromStdString(logits.error().message)));
        result.referencePieces.push_back(comparison_json::piecesFromJson(pieces->array()));
        result.referenceTop.push_back(comparison_json::topFromJson(top->array()));
        result.referenceLogits.push_back(std::move(*logits));
    }
    if (result.referenceLogits.size() != promptCount)
        return damaged(tr("the reference's answers to %1 of %2 prompts are missing")
                           .arg(promptCount - result.referenceLogits.size())
                           .arg(promptCount));
    return comparison;
}

bool ComparisonStore::remove(qint64 id)
{
    if (!isOpen())
        return fail(tr("The comparisons database is not open."));
    QSqlQuery query(m_db);
    if (!sql::exec(query, "DELETE FROM comparisons WHERE id = ?", {id}))
        return fail(tr("Cannot delete the comparison: %1").arg(query.lastError().text()));
    emit changed();
    return true;
}

QList<ComparisonSummary> ComparisonStore::list()
{
    QList<ComparisonSummary> summaries;
    if (!isOpen())
        return summaries;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral(
            "SELECT c.id, c.created_ms, c.title, c.prompts, "
            "(SELECT group_concat(file_type, ' ') FROM (SELECT file_type FROM comparison_models "
            " WHERE comparison_id = c.id ORDER BY position)) "
            "FROM comparisons c ORDER BY c.created_ms DESC, c.id DESC"))) {
        fail(query.lastError().text());
        return summaries;
    }
    while (query.next()) {
        ComparisonSummary summary;
        summary.id = query.value(0).toLongLong();
        summary.created = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        summary.title = query.value(2).toString();
        summary.prompts = int(QJsonDocument::fromJson(query.value(3).toString().toUtf8()).array().size());
        summary.fileTypes = query.value(4).toString().split(u' ', Qt::SkipEmptyParts);
        summaries.append(summary);
    }
    return summaries;
}

QList<QuantQuality> ComparisonStore::measuredQualities()
{
    QList<QuantQuality> qualities;
    if (!isOpen())
        return qualities;
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral(
            "SELECT m.model_id, m.quant, r.quant, r.file_type, m.mean_kld, m.kld_99, m.same_top_percent, "
            "m.positions, c.created_ms "
            "FROM comparison_models m JOIN comparisons c ON c.id = m.comparison_id "
            "JOIN comparison_models r ON r.comparison_id = c.id AND r.position = c.reference "
            "WHERE m.position != c.reference AND m.model_id != '' AND m.quant != '' AND m.positions > 0 "
            "ORDER BY c.created_ms, c.id, m.position"))) {
        fail(query.lastError().text());
        return qualities;
    }
    while (query.next()) {
        QuantQuality quality;
        quality.modelId = query.value(0).toString();
        quality.quant = query.value(1).toString();
        // The catalog's name for the reference where it is known, else its file type ("F16").
        quality.referenceQuant = query.value(2).toString().isEmpty() ? query.value(3).toString() : query.value(2).toString();
        quality.meanKld = query.value(4).toDouble();
        quality.kld99 = query.value(5).toDouble();
        quality.sameTopPercent = query.value(6).toDouble();
        quality.positions = query.value(7).toInt();
        quality.measuredAt = QDateTime::fromMSecsSinceEpoch(query.value(8).toLongLong(), Qt::UTC);
        qualities.append(quality);
    }
    return qualities;
}

} // namespace ponder::app
