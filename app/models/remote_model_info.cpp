#include "remote_model_info.h"

#include "remote_gguf_header.h"

namespace ponder::app {

RemoteModelInfo::RemoteModelInfo(QObject* parent) : QObject(parent), m_reader(new RemoteGgufHeader(this))
{
    connect(m_reader, &RemoteGgufHeader::finished, this, &RemoteModelInfo::headerFinished);
}

RemoteModelInfo::~RemoteModelInfo() = default;

void RemoteModelInfo::setNetworkAccessManager(QNetworkAccessManager* network)
{
    m_reader->setNetworkAccessManager(network);
}

void RemoteModelInfo::fetch(const QList<QUrl>& files)
{
    abort();
    m_files = files;
    m_headers.clear();
    m_info.reset();
    m_error.clear();
    if (files.isEmpty()) {
        finish(tr("The model has no files to read."));
        return;
    }
    m_next = 0;
    m_reader->fetch(files.first());
}

void RemoteModelInfo::abort()
{
    m_reader->abort();
    m_next = -1;
}

void RemoteModelInfo::headerFinished(bool ok)
{
    if (m_next < 0)
        return;
    if (!ok) {
        finish(m_reader->errorString());
        return;
    }
    m_headers.push_back(m_reader->header());
    if (++m_next < m_files.size()) {
        m_reader->fetch(m_files[m_next]);
        return;
    }
    // Every part's tensors; the metadata is the first part's. The names are
    // views into the headers, which live until the next fetch.
    std::vector<GgufTensorInfo> tensors;
    for (const GgufHeader& header : m_headers)
        tensors.insert(tensors.end(), header.tensors().begin(), header.tensors().end());
    auto info = readModelInfo(m_headers.front(), tensors);
    if (!info) {
        finish(tr("%1 is not a model Ponder can run: %2")
                   .arg(m_files.first().fileName(), QString::fromStdString(info.error().message)));
        return;
    }
    m_info = std::move(*info);
    finish({});
}

void RemoteModelInfo::finish(const QString& error)
{
    m_next = -1;
    m_error = error;
    emit finished(error.isEmpty());
}

} // namespace ponder::app
