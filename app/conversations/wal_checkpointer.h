// Copies the conversation database's write-ahead log into the database on a
// thread of its own.
//
// SQLite checkpoints from whichever connection commits past its threshold
// (1000 pages): the store's, on the UI thread, which then waits for two
// fdatasync calls. While a long answer streams (every flush rewrites the
// message's row) that was a checkpoint every few flushes and 10-15 ms of
// waiting each on this machine's disk, far more on a slow one. The store
// turns automatic checkpoints off on its connection and asks this one after
// each write; a passive checkpoint here never blocks the store's writes.
#pragma once

#include <QString>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ponder::app {

class WalCheckpointer {
public:
    // Starts the thread, which opens its own connection to `file`.
    explicit WalCheckpointer(const QString& file);
    // Finishes a checkpoint under way, closes the connection, joins the thread.
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer&) = delete;
    WalCheckpointer& operator=(const WalCheckpointer&) = delete;

    // Asks for a checkpoint; requests that arrive while one runs make one more.
    void request();
    // Checkpoints that ran so far (tests).
    int completed() const;

private:
    void run();

    const QString m_file;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    int m_completed = 0;
    std::thread m_thread;  // last: starts once the members above exist
};

} // namespace ponder::app
