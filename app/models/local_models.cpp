#include "local_models.h"

#include "split_name.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSettings>
#include <QUrl>
#include <QVariantMap>

#include <algorithm>
#include <functional>
#include <new>
#include <stdexcept>

#include "ponder/gguf_parts.h"
// Header-only; ponder_models does not link ponder_downloads (see the header).
#include "../downloads/unverified_mark.h"

Q_LOGGING_CATEGORY(lcLocalModels, "ponder.models")

namespace ponder::app {
namespace {

// The model `path` belongs to: itself, or its split model's first part with
// the parts present. Empty path when `path` is not a .gguf file.
LocalModel describe(const QString& path)
{
    LocalModel model;
    const QFileInfo file(path);
    if (!file.isFile() || !file.fileName().endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive))
        return model;
    const std::optional<SplitPart> split = splitPartOf(file.absoluteFilePath());
    const int count = split ? split->count : 1;
    if (count <= 1) {
        model.path = file.absoluteFilePath();
        model.parts = {model.path};
        model.bytes = file.size();
    } else {
        model.path = splitPartPath(split->prefix, 0, count);
        model.partCount = count;
        for (int i = 0; i < count; ++i) {
            const QFileInfo part(splitPartPath(split->prefix, i, count));
            if (part.isFile()) {
                model.parts << part.absoluteFilePath();
                model.bytes += part.size();
            }
        }
        // The first part holds the metadata: without it nothing stands for the model.
        if (model.parts.isEmpty() || model.parts.first() != model.path)
            return {};
    }
    model.fileName = QFileInfo(model.path).fileName();
    for (qsizetype i = 0; i < model.parts.size() && !model.unverified; ++i) {
        if (const std::optional<UnverifiedMark> mark = UnverifiedMark::read(model.parts[i])) {
            model.unverified = true;
            model.unverifiedReason = model.partCount > 1
                ? QStringLiteral("part %1 of %2: %3").arg(splitPartOf(model.parts[i])->index + 1).arg(count).arg(mark->reason)
                : mark->reason;
        }
    }
    return model;
}

QString toLocalPath(const QString& pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

} // namespace

LocalModels::LocalModels(QObject* parent) : QObject(parent)
{
    if (const auto& builtIn = ModelCatalog::builtIn())
        m_catalog = *builtIn;
    rescan();
}

void LocalModels::setFolder(const QString& folder)
{
    if (folder == m_folder)
        return;
    m_folder = folder;
    emit folderChanged();
    rescan();
}

void LocalModels::setCatalog(const ModelCatalog& catalog)
{
    m_catalog = catalog;
    rescan();
}

QStringList LocalModels::importedPaths() const
{
    return QSettings().value(QLatin1String(kImportedKey)).toStringList();
}

void LocalModels::rescan()
{
    QStringList candidates;
    if (!m_folder.isEmpty()) {
        QDirIterator it(m_folder, {QStringLiteral("*.gguf")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            candidates << it.next();
    }
    const QStringList imported = importedPaths();
    candidates += imported;

    QList<LocalModel> found;
    for (const QString& candidate : std::as_const(candidates)) {
        LocalModel model = describe(candidate);
        if (model.path.isEmpty())
            continue;
        const auto same = std::find_if(found.begin(), found.end(),
                                       [&](const LocalModel& m) { return m.path == model.path; });
        const bool isImported = imported.contains(model.path);
        if (same != found.end()) {
            same->imported = same->imported || isImported;
            continue;
        }
        model.imported = isImported;
        if (const auto match = m_catalog.matchFileName(model.fileName); match.model) {
            model.modelId = match.model->id;
            model.quant = match.quant->name();
        }
        found << model;
    }
    std::sort(found.begin(), found.end(), [](const LocalModel& a, const LocalModel& b) {
        return a.fileName.compare(b.fileName, Qt::CaseInsensitive) < 0;
    });
    m_models = found;
    emit changed();
}

QVariantList LocalModels::modelsForQml() const
{
    QVariantList list;
    for (const auto& m : m_models)
        list << QVariantMap{{QStringLiteral("path"), m.path},         {QStringLiteral("fileName"), m.fileName},
                            {QStringLiteral("partCount"), m.partCount}, {QStringLiteral("complete"), m.complete()},
                            {QStringLiteral("bytes"), m.bytes},         {QStringLiteral("imported"), m.imported},
                            {QStringLiteral("modelId"), m.modelId},     {QStringLiteral("quant"), m.quant},
                            {QStringLiteral("unverified"), m.unverified},
                            {QStringLiteral("unverifiedReason"), m.unverifiedReason}};
    return list;
}

const LocalModel* LocalModels::find(const QString& modelId, const QString& quant) const
{
    for (const auto& m : m_models)
        if (m.modelId == modelId && m.quant == quant)
            return &m;
    return nullptr;
}

namespace {

std::expected<ModelInfo, QString> readModelInfoUnguarded(const QString& path)
{
    const QString name = QFileInfo(path).fileName();
    auto notUsable = [&](const std::string& message) {
        // The engine's messages begin with the path; the file's name leads ours already.
        QString why = QString::fromStdString(message);
        const QString pathPrefix = QStringLiteral("'%1': ").arg(path);
        if (why.startsWith(pathPrefix))
            why.remove(0, pathPrefix.size());
        return std::unexpected(LocalModels::tr("%1 is not a model Ponder can run: %2").arg(name, why));
    };
    // GgufParts opens a whole file as a model of one part, and a split model
    // from any of its parts, validating every offset against the file sizes
    // (a truncated download fails here).
    auto files = GgufParts::open(path.toStdString());
    if (!files)
        return notUsable(files.error().message);
    const GgufHeader& header = files->metadata().header();
    auto info = readModelInfo(header, files->tensors());  // validateModelInfo() included
    if (!info)
        return notUsable(info.error().message);
    // The engine needs the vocabulary to chat at all (ModelFile::open).
    if (!header.find("tokenizer.ggml.tokens"))
        return notUsable("it has no tokenizer (tokenizer.ggml.tokens)");
    return std::move(*info);
}

} // namespace

namespace test_hooks {
// Called before a header is read; a test makes it throw to stand in for a
// file whose header asks for more memory than there is.
std::function<void(const QString& path)> beforeModelInfoRead;
} // namespace test_hooks

std::expected<ModelInfo, QString> LocalModels::readModelInfoFrom(const QString& path)
{
    // The engine checks every count against the file, yet a header can still
    // ask for more memory than this machine has: that makes this file
    // unusable, not the app end (an uncaught std::bad_alloc would).
    try {
        if (test_hooks::beforeModelInfoRead)
            test_hooks::beforeModelInfoRead(path);
        return readModelInfoUnguarded(path);
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {
    }
    return std::unexpected(tr("There is not enough memory to read %1's header; it may be damaged.")
                               .arg(QFileInfo(path).fileName()));
}

std::expected<ModelInfo, QString> LocalModels::modelInfo(const QString& path) const
{
    const QFileInfo file(path);
    CachedInfo& cached = m_infoCache[path];
    const qint64 modified = file.lastModified().toMSecsSinceEpoch();
    if (cached.size != file.size() || cached.modified != modified) {
        cached.size = file.size();
        cached.modified = modified;
        cached.info = readModelInfoFrom(path);
    }
    return cached.info;
}

bool LocalModels::importFile(const QString& pathOrUrl)
{
    const QString path = QFileInfo(toLocalPath(pathOrUrl)).absoluteFilePath();
    const QFileInfo file(path);
    QString error;
    if (!file.isFile())
        error = tr("%1 is not a file").arg(path);
    else if (!file.fileName().endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive))
        error = tr("%1 is not a GGUF model file (.gguf)").arg(file.fileName());
    const LocalModel model = error.isEmpty() ? describe(path) : LocalModel{};
    if (error.isEmpty() && model.path.isEmpty())
        error = tr("%1 is part of a split model whose first part is missing").arg(file.fileName());
    if (error.isEmpty())
        if (auto info = readModelInfoFrom(model.path); !info)
            error = info.error();
    if (!error.isEmpty()) {
        qCInfo(lcLocalModels) << "import refused:" << error;
        setErrorString(error);
        emit importFailed(path, error);
        return false;
    }

    QStringList imported = importedPaths();
    if (!imported.contains(model.path)) {
        imported << model.path;
        QSettings().setValue(QLatin1String(kImportedKey), imported);
    }
    setErrorString({});
    rescan();
    emit this->imported(model.path);
    return true;
}

void LocalModels::forget(const QString& path)
{
    QStringList imported = importedPaths();
    if (imported.removeAll(toLocalPath(path)) == 0)
        return;
    QSettings().setValue(QLatin1String(kImportedKey), imported);
    rescan();
}

void LocalModels::setErrorString(const QString& error)
{
    if (error == m_errorString)
        return;
    m_errorString = error;
    emit errorStringChanged();
}

} // namespace ponder::app
