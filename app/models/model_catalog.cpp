// ModelCatalog (model_catalog.h): the catalog's top level (schema version,
// server, models with unique ids and file names, the typicalQuality block),
// loading it from a file or the build's resource, and the lookups the picker
// and the local files use. Each part is read by CatalogReader
// (catalog_reader.h).
#include "model_catalog.h"

#include "catalog_reader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>

namespace ponder::app {

QString CatalogQuant::name() const
{
    return QString::fromUtf8(quantMixName(mix).data(), qsizetype(quantMixName(mix).size()));
}

QUrl CatalogQuant::url(int file) const
{
    if (file < 0 || file >= files.size())
        return {};
    return QUrl(QStringLiteral("%1/%2/resolve/%3/%4").arg(server, repo, revision, files[file]));
}

QString CatalogQuant::localFileName(int file) const
{
    if (file < 0 || file >= files.size())
        return {};
    return files[file].section(u'/', -1);
}

const TypicalQuantQuality* CatalogTypicalQuality::find(const QString& quant) const
{
    for (const auto& q : quants)
        if (q.quant.compare(quant, Qt::CaseInsensitive) == 0)
            return &q;
    return nullptr;
}

const CatalogQuant* CatalogModel::quant(QuantMix mix) const
{
    for (const auto& q : quants)
        if (q.mix == mix)
            return &q;
    return nullptr;
}

std::expected<ModelCatalog, QString> ModelCatalog::fromJson(const QByteArray& json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return std::unexpected(QStringLiteral("not valid JSON at byte %1: %2")
                                   .arg(parseError.offset)
                                   .arg(parseError.errorString()));
    if (!document.isObject())
        return std::unexpected(QStringLiteral("the catalog must be a JSON object"));
    const QJsonObject root = document.object();

    const QJsonValue schema = root.value(QLatin1String("schema"));
    if (!schema.isDouble())
        return std::unexpected(QStringLiteral("schema: expected the schema version, a number"));
    if (schema.toInt() != kSchema)
        return std::unexpected(QStringLiteral("schema: version %1, but this Ponder reads version %2")
                                   .arg(schema.toInt())
                                   .arg(kSchema));

    const QJsonArray models = root.value(QLatin1String("models")).toArray();
    if (models.isEmpty())
        return std::unexpected(QStringLiteral("models: expected a non-empty array"));

    // Optional: a Hugging Face mirror (or the tests' local server) in place of huggingface.co.
    QString server = QStringLiteral("https://huggingface.co");
    if (const QJsonValue value = root.value(QLatin1String("server")); !value.isUndefined()) {
        const QUrl url(value.toString());
        if (!value.isString() || !url.isValid() || (url.scheme() != QLatin1String("https") &&
                                                    url.scheme() != QLatin1String("http")) || url.host().isEmpty())
            return std::unexpected(QStringLiteral("server: expected an http or https URL, e.g. \"https://huggingface.co\""));
        server = value.toString();
        while (server.endsWith(u'/'))
            server.chop(1);
    }

    CatalogReader reader;
    ModelCatalog catalog;
    QSet<QString> ids, fileNames;
    for (int i = 0; i < models.size(); ++i) {
        const QString path = QStringLiteral("models[%1]").arg(i);
        QJsonObject o;
        CatalogModel model;
        if (!reader.object(models[i], path, o) || !reader.model(o, path, model))
            return std::unexpected(reader.error);
        if (ids.contains(model.id))
            return std::unexpected(path + QStringLiteral(".id: \"%1\" is used twice").arg(model.id));
        ids.insert(model.id);
        for (auto& quant : model.quants)
            quant.server = server;
        // Local files are matched to the catalog by name, so names must be unique.
        for (const auto& quant : model.quants) {
            const QString name = quant.localFileName().toLower();
            if (fileNames.contains(name))
                return std::unexpected(path + QStringLiteral(": the file name %1 is used twice").arg(name));
            fileNames.insert(name);
        }
        catalog.m_models << model;
    }

    // Optional: typical quality loss per quant type, for the picker's chart.
    if (const QJsonValue typical = root.value(QLatin1String("typicalQuality")); !typical.isUndefined()) {
        QJsonObject o;
        if (!reader.object(typical, QStringLiteral("typicalQuality"), o) ||
            !reader.typicalQuality(o, QStringLiteral("typicalQuality"), catalog.m_typical))
            return std::unexpected(reader.error);
    }
    return catalog;
}

std::expected<ModelCatalog, QString> ModelCatalog::load(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(QStringLiteral("cannot read the model catalog %1: %2").arg(path, file.errorString()));
    auto catalog = fromJson(file.readAll());
    if (!catalog)
        return std::unexpected(QStringLiteral("the model catalog %1 is malformed: %2").arg(path, catalog.error()));
    return catalog;
}

const std::expected<ModelCatalog, QString>& ModelCatalog::builtIn()
{
    static const std::expected<ModelCatalog, QString> catalog = load(builtInPath());
    return catalog;
}

const CatalogModel* ModelCatalog::model(const QString& id) const
{
    for (const auto& m : m_models)
        if (m.id == id)
            return &m;
    return nullptr;
}

ModelCatalog::Match ModelCatalog::matchFileName(const QString& fileName) const
{
    for (const auto& m : m_models)
        for (const auto& q : m.quants)
            if (q.localFileName().compare(fileName, Qt::CaseInsensitive) == 0)
                return {&m, &q};
    return {};
}

} // namespace ponder::app
