// A catalog model's real tensor list, read over HTTP before it is
// downloaded: the GGUF header of each of its files (RemoteGgufHeader, a few
// megabytes each), combined the way a split model's parts combine
// (metadata from the first part, tensors from all), into a ModelInfo that
// memory_plan sizes exactly. The picker then shows the fit of the real file
// instead of the estimate from the catalog's config.
#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

#include <optional>
#include <vector>

#include "ponder/gguf.h"
#include "ponder/model_info.h"

class QNetworkAccessManager;

namespace ponder::app {

class RemoteGgufHeader;

class RemoteModelInfo : public QObject {
    Q_OBJECT

public:
    explicit RemoteModelInfo(QObject* parent = nullptr);
    ~RemoteModelInfo() override;

    void setNetworkAccessManager(QNetworkAccessManager* network);

    // Reads the headers of `files` (a model's parts in order; one for most),
    // abandoning a fetch in progress. finished() follows once.
    void fetch(const QList<QUrl>& files);
    void abort();
    bool busy() const { return m_next >= 0; }

    // After finished(true): the model as the files describe it.
    const std::optional<ModelInfo>& info() const { return m_info; }
    // After finished(false): why, in words for the user.
    QString errorString() const { return m_error; }

signals:
    void finished(bool ok);

private:
    void headerFinished(bool ok);
    void finish(const QString& error);

    RemoteGgufHeader* m_reader = nullptr;
    QList<QUrl> m_files;
    std::vector<GgufHeader> m_headers;
    int m_next = -1;  // index of the file being read; -1 when idle
    std::optional<ModelInfo> m_info;
    QString m_error;
};

} // namespace ponder::app
