// The OpenAI-compatible protocol's pieces that hold no connection: the
// API's base URL, which redirects to follow, the server-sent-events reader,
// and one streamed chunk read into what a chat needs. Apart from the client
// so that each can be tested, and fuzzed (tests/fuzz/fuzz_sse.cpp), alone:
// everything here reads what a server sent, and a server is outside.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>
#include <QVariantMap>

#include <optional>

namespace ponder::app {

// {url}/v1 (unless it ends with /v1 already), without a trailing slash.
// Invalid (empty) for anything but an http(s) URL with a host.
QUrl apiBaseUrl(const QUrl& url);
// `url` for the user to read: without the user:password@ a URL may carry,
// which would otherwise show in the status line and in error messages.
QString displayUrl(const QUrl& url);
// `text` with every copy of `url`'s user:password@ taken out (Qt's network
// errors quote the URL they failed on).
QString withoutCredentials(QString text, const QUrl& url);
// True when `a` and `b` have one origin: scheme, host and port (a missing
// port is the scheme's default). The only place a key given for `a` may go.
bool sameOrigin(const QUrl& a, const QUrl& b);
// Why a request to `from` does not follow a redirect to `to`, in words for
// the user; empty when it does (the same origin).
QString redirectRefusal(const QUrl& from, const QUrl& to);

// One server-sent-events stream cut into its "data:" payloads, however the
// bytes arrive; comments, other fields and blank lines are skipped, and a
// multi-line event's data lines are joined with '\n'. Each byte is looked
// at once however small the pieces (a line that never ends, sent a few
// bytes at a time, used to be searched again from its start on every
// piece), and an event larger than kMaxEventBytes (its data and the line
// being read) ends the stream: overflowed() is then true and later bytes
// are ignored, where a server's endless line would have grown without end.
class SseReader {
public:
    // A chat chunk is a few hundred bytes; a usage or error event a few kB.
    static constexpr qsizetype kMaxEventBytes = 8 * 1024 * 1024;

    QList<QByteArray> feed(QByteArrayView bytes);
    bool overflowed() const { return m_overflowed; }
    // Bytes searched for line ends so far: a measure for tests that each is read once.
    qint64 bytesExamined() const { return m_examined; }

private:
    QByteArray m_buffer;  // the line being read: no '\n' in it between calls
    QByteArray m_data;
    bool m_hasData = false;
    bool m_overflowed = false;
    qint64 m_examined = 0;
};

// One "data:" payload of a streamed chat completion, read.
struct ChatChunk {
    enum class Kind {
        Delta,        // text (maybe none), a finish reason, usage
        Done,         // "[DONE]"
        ServerError,  // {"error": ...}: `error` holds the server's words
        NotJson,      // `error` holds the payload's start, for the message
    };
    Kind kind = Kind::Delta;
    QString reasoning;     // delta.reasoning_content, or delta.reasoning
    QString content;       // delta.content
    QString finishReason;  // choices[0].finish_reason, when the server gave one
    QString error;
    std::optional<QVariantMap> usage;  // the usage object, when there is one
};
ChatChunk parseChatChunk(const QByteArray& payload);

// The words in a server's JSON error: OpenAI's {"error": {"message": ...}}
// or {"error": "..."}, or FastAPI's {"detail": "..."} (vLLM, SGLang).
QString errorMessageIn(const QJsonObject& object);

// Reasoning and answer deltas joined into R1's raw form, which the message
// parser splits the same way whichever server runs the model: "<think>\n"
// before the first reasoning, "\n</think>\n\n" where the answer follows it.
class ReasoningJoiner {
public:
    QString join(const QString& reasoning, const QString& content);
    bool inReasoning() const { return m_inReasoning; }

private:
    bool m_inReasoning = false;  // "<think>" given out, "</think>" not yet
};

} // namespace ponder::app
