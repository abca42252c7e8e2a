#include "remote_model_info.h"

#include <functional>
#include <new>
#include <stdexcept>

#include "remote_gguf_header.h"

namespace ponder::app {

namespace test_hooks {
extern std::function<void(const char* step)> remoteHeaderStep;  // remote_gguf_header.cpp
}

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
    // As in RemoteGgufHeader::tryParse: what a server sent must not end the app.
    Result<ModelInfo> info = fail(ErrorCode::Malformed, "not read");
    try {
        if (test_hooks::remoteHeaderStep)
            test_hooks::remoteHeaderStep("info");
        info = readModelInfo(m_headers.front(), tensors);
    } catch (const std::bad_alloc&) {
        info = fail(ErrorCode::OutOfMemory, "there is not enough memory to read its header");
    } catch (const std::length_error&) {
        info = fail(ErrorCode::OutOfMemory, "there is not enough memory to read its header");
    } catch (const std::exception& error) {
        info = fail(ErrorCode::Malformed, error.what());
    }
    if (!info) {
        const QString name = m_files.first().fileName();
        const QString why = QString::fromStdString(info.error().message);
        finish(info.error().code == ErrorCode::OutOfMemory ? tr("Reading the header of %1 failed: %2").arg(name, why)
                                                           : tr("%1 is not a model Ponder can run: %2").arg(name, why));
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
