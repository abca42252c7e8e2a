// Writes streamed answers into the conversation database on a thread of its
// own, with its own connection.
//
// SQLite cannot append to a value: every write of a streaming answer
// rewrites its whole row, and the end of an answer writes it once more with
// its status. For a long answer that is milliseconds per write on the UI
// thread (13-21 ms for a megabyte on this machine's disk, far more on a slow
// one), in the frames where the list is busiest. The store hands its
// coalesced text and the end of each answer to this writer and goes on; it
// waits (drain()) only where it must see them: before it reads, deletes or
// closes. A write that fails keeps its text for the next try, so nothing
// is dropped while the disk is full or the database locked.
#pragma once

#include <QHash>
#include <QString>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "message_types.h"

namespace ponder::app {

// How an answer ended, written with its last text.
struct MessageEnd {
    MessageStatus status = MessageStatus::Complete;
    MessageStats stats;
    QString error;
    qint64 atMs = 0;  // the conversation's new updated time
};

// What one message's row is to receive.
struct TextChange {
    QString reasoning;
    QString content;
    bool replace = false;  // set the text instead of appending to it
    std::optional<MessageEnd> end;

    // `later` after this one: appends concatenate, a replacement replaces.
    void merge(TextChange&& later);
};

using TextBatch = QHash<qint64, TextChange>;  // by message id

// The result of one write, reported from the writer's thread.
struct TextWriteOutcome {
    bool ok = true;
    QString error;             // when !ok, in words
    bool endedMessages = false;  // an answer's end was written
};

class TextWriter {
public:
    using Report = std::function<void(const TextWriteOutcome&)>;

    // Starts the thread, which opens its own connection to `file`. `report`
    // runs on that thread after every write.
    TextWriter(const QString& file, Report report);
    // Writes what is still queued (one try), closes the connection, joins.
    ~TextWriter();
    TextWriter(const TextWriter&) = delete;
    TextWriter& operator=(const TextWriter&) = delete;

    // Queues `batch` after everything queued before and returns at once.
    void submit(TextBatch batch);
    // Tries again what failed, without waiting.
    void retry();
    // Waits until everything submitted so far has been tried (a failed
    // write once more); false, with the error, unless all of it is written.
    bool drain(QString* error = nullptr);

private:
    void run();
    bool idle() const;  // with m_mutex held

    const QString m_file;
    const Report m_report;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;      // the thread: work or stop
    std::condition_variable m_settled;   // drain(): a write finished
    TextBatch m_queued;
    TextBatch m_failed;                  // kept for the next try, written before m_queued
    QString m_lastError;
    bool m_retryRequested = false;
    bool m_writing = false;
    bool m_stopping = false;
    std::thread m_thread;  // last: starts once the members above exist
};

} // namespace ponder::app
