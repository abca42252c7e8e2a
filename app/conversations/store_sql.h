// Small Qt SQL helpers for the conversation store.
#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

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

} // namespace ponder::app::sql
