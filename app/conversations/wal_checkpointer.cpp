#include "wal_checkpointer.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>


#include "store_sql.h"

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace ponder::app {
namespace {

// PASSIVE: copies what no reader still needs and waits for no one. A
// database that cannot be opened now is tried again at the next request.
bool checkpoint(QSqlDatabase& db)
{
    if (!db.isOpen() && !db.open()) {
        qCWarning(lcStore) << "cannot open the database to checkpoint it:" << db.lastError().text();
        return false;
    }
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"))) {
        qCWarning(lcStore) << "checkpoint failed:" << query.lastError().text();
        return false;
    }
    return true;
}

} // namespace

WalCheckpointer::WalCheckpointer(const QString& file) : m_file(file), m_thread([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void WalCheckpointer::request()
{
    {
        const std::lock_guard lock(m_mutex);
        m_requested = true;
    }
    m_wake.notify_one();
}

int WalCheckpointer::completed() const
{
    const std::lock_guard lock(m_mutex);
    return m_completed;
}

void WalCheckpointer::run()
{
    sql::ThreadConnection connection(m_file, "checkpoint");
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [this] { return m_requested || m_stopping; });
        if (m_stopping)
            break;
        m_requested = false;
        lock.unlock();
        const bool done = checkpoint(connection.db());
        lock.lock();
        m_completed += done ? 1 : 0;
    }
}

} // namespace ponder::app
