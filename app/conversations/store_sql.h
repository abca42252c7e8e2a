// Small Qt SQL helpers for the conversation store.
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <atomic>
#include <initializer_list>

namespace ponder::app::sql {

// Prepares `statement`, binds `values` to its `?` in order and runs it.
inline bool exec(QSqlQuery& query, const char* statement, std::initializer_list<QVariant> values)
{
    if (!query.prepare(QString::fromUtf8(statement)))
        return false;
    for (const QVariant& value : values)
        query.addBindValue(value);
    return query.exec();
}

// A string that binds as text even when null: Qt SQL binds a null QString as
// NULL, which the NOT NULL text columns refuse.
inline QVariant text(const QString& value)
{
    return value.isNull() ? QVariant(QStringLiteral("")) : QVariant(value);
}

// A value that binds as SQL NULL where an id is -1 (no message).
inline QVariant idOrNull(qint64 id)
{
    return id < 0 ? QVariant(QMetaType::fromType<qint64>()) : QVariant(id);
}

// A transaction that rolls back unless committed.
class Transaction {
public:
    explicit Transaction(QSqlDatabase& db) : m_db(db), m_begun(db.transaction()) {}
    ~Transaction()
    {
        if (m_begun && !m_committed)
            m_db.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    bool begun() const { return m_begun; }
    bool commit() { return m_begun && (m_committed = m_db.commit()); }

private:
    QSqlDatabase& m_db;
    bool m_begun;
    bool m_committed = false;
};

// A connection to `file` for the thread that makes it (a Qt SQL connection
// belongs to the thread that made it: made, used and removed there), named
// `<role>.<n>`, with the store's busy timeout. Removed when it goes.
class ThreadConnection {
public:
    ThreadConnection(const QString& file, const char* role)
        : m_name(QStringLiteral("ponder.store.%1.%2").arg(QString::fromUtf8(role)).arg(s_count++)),
          m_db(QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name))
    {
        m_db.setDatabaseName(file);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    }
    ~ThreadConnection()
    {
        m_db.close();
        m_db = QSqlDatabase();  // the last handle, before the connection is removed
        QSqlDatabase::removeDatabase(m_name);
    }
    ThreadConnection(const ThreadConnection&) = delete;
    ThreadConnection& operator=(const ThreadConnection&) = delete;

    QSqlDatabase& db() { return m_db; }

private:
    static inline std::atomic<int> s_count{0};
    const QString m_name;
    QSqlDatabase m_db;
};

} // namespace ponder::app::sql
