// The GGUF models on this computer: every .gguf in the models folder (and
// its subfolders, where split models come in a folder of their own), plus
// files the user imported from anywhere else. Each is matched to the catalog
// by file name, so the picker can mark a quant "downloaded" and load it.
//
// A split model (llama.cpp's gguf-split: <stem>-00001-of-00003.gguf …) is
// one entry, named by its first part; the other parts are grouped under it.
//
// A file Ponder downloaded without anything to verify it against (no
// SHA-256 from the catalog, the server or the repository's file listing)
// has a <file>.unverified mark beside it (app/downloads/unverified_mark.h):
// such a model is listed as `unverified`, with the reason, so the picker can
// say so and ask before loading it. The mark is read as untrusted text.
//
// Imported files are remembered by path (QSettings), not copied: models are
// gigabytes, a copy would double the disk they take and keep the user
// waiting minutes, and the engine only ever maps them read-only, so the
// original is as safe to use as a copy. A remembered file that has gone
// (an unplugged drive) is not listed, but stays remembered for its return.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <expected>

#include "model_catalog.h"
#include "ponder/model_info.h"

namespace ponder::app {

struct LocalModel {
    QString path;       // absolute: the file, or the first part of a split model
    QString fileName;   // its last path segment
    QStringList parts;  // absolute paths of the parts present, first first; just `path` when not split
    int partCount = 1;  // the parts its name announces (-of-000NN)
    qint64 bytes = 0;   // of the parts present
    bool imported = false;
    QString modelId;    // catalog model ("qwen-7b") when the file name matches; else empty
    QString quant;      // catalog quant ("Q4_K_M") when the file name matches; else empty
    bool unverified = false;   // a part has an .unverified mark: downloaded with no checksum to check
    QString unverifiedReason;  // the mark's reason, one line of plain text ("part 2 of 3: …"); else empty

    bool complete() const { return parts.size() == partCount; }
};

class LocalModels : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// Folder scanned for models, with its subfolders; empty: none.
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged)
    /// One map per model: path, fileName, partCount, complete, bytes, imported, modelId, quant,
    /// unverified (bool: downloaded with nothing to verify it against), unverifiedReason (plain text).
    Q_PROPERTY(QVariantList models READ modelsForQml NOTIFY changed)
    /// Number of models listed.
    Q_PROPERTY(int count READ count NOTIFY changed)
    /// Why the last import failed, in words for the user; empty after a success.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    static constexpr auto kImportedKey = "models/imported";

    explicit LocalModels(QObject* parent = nullptr);

    QString folder() const { return m_folder; }
    void setFolder(const QString& folder);
    const QList<LocalModel>& models() const { return m_models; }
    QVariantList modelsForQml() const;
    int count() const { return int(m_models.size()); }
    QString errorString() const { return m_errorString; }

    // The catalog file names are matched against (default: the built-in one).
    void setCatalog(const ModelCatalog& catalog);
    // The listed model for a catalog quant; nullptr when it is not here.
    const LocalModel* find(const QString& modelId, const QString& quant) const;
    // The architecture and tensors from a listed model's header (all parts),
    // read once per file version (path, size, modification time). On the
    // caller's thread: mapping a file and parsing a header with a 152k-token
    // vocabulary takes about 2 ms.
    std::expected<ModelInfo, QString> modelInfo(const QString& path) const;

    // Opens a file as the engine would (every part of a split model), reads
    // its architecture and checks every tensor the forward pass needs and the
    // tokenizer: the ModelInfo, or why the file is not a model Ponder runs.
    static std::expected<ModelInfo, QString> readModelInfoFrom(const QString& path);

    /// Lists the folder and the imported files again.
    Q_INVOKABLE void rescan();
    /// Checks and remembers a model file (a path or a file:// URL, as FileDialog
    /// and DropArea give). For a split model any part will do. False, with
    /// errorString and importFailed(), when it is not a usable model.
    Q_INVOKABLE bool importFile(const QString& pathOrUrl);
    /// Stops remembering an imported file (the file itself stays).
    Q_INVOKABLE void forget(const QString& path);

signals:
    void changed();
    void folderChanged();
    void errorStringChanged();
    void imported(const QString& path);
    void importFailed(const QString& path, const QString& error);

private:
    void setErrorString(const QString& error);
    QStringList importedPaths() const;

    QString m_folder;
    QList<LocalModel> m_models;
    ModelCatalog m_catalog;
    QString m_errorString;
    struct CachedInfo {
        qint64 size = -1;
        qint64 modified = 0;
        std::expected<ModelInfo, QString> info;
    };
    mutable QHash<QString, CachedInfo> m_infoCache;
};

} // namespace ponder::app
