#include "conversation_schema.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <array>
#include <span>

namespace ponder::app::schema {
namespace {

// Qt's SQLite driver runs one statement per exec(), so each migration is a
// list of single statements.
constexpr std::array kVersion1 = {
    "CREATE TABLE conversations ("
    " id INTEGER PRIMARY KEY,"
    " title TEXT NOT NULL DEFAULT '',"
    " created_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL,"
    " model TEXT NOT NULL DEFAULT '',"
    " settings TEXT NOT NULL DEFAULT '{}',"
    " current_leaf INTEGER REFERENCES messages(id) ON DELETE SET NULL)",
    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY,"
    " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
    // No cascade here: SQLite runs cascades as nested triggers and stops at
    // 1000 levels, which a long conversation's chain of parents exceeds.
    // The store deletes a whole subtree in one statement instead.
    " parent_id INTEGER REFERENCES messages(id),"
    " role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),"
    " reasoning TEXT NOT NULL DEFAULT '',"
    " content TEXT NOT NULL DEFAULT '',"
    " status TEXT NOT NULL DEFAULT 'complete'"
    "  CHECK (status IN ('streaming', 'complete', 'stopped', 'error')),"
    " error TEXT NOT NULL DEFAULT '',"
    " created_ms INTEGER NOT NULL)",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id)",
    "CREATE INDEX messages_by_parent ON messages(parent_id)",
    "CREATE INDEX conversations_by_updated ON conversations(updated_ms)",
};

constexpr std::array kVersion2 = {
    "ALTER TABLE messages ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN generated_tokens INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN first_token_ms INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN reasoning_ms INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN tokens_per_second REAL NOT NULL DEFAULT 0",
};

// Text, not a number: a reason a newer Ponder adds reads as none here.
constexpr std::array kVersion3 = {
    "ALTER TABLE messages ADD COLUMN reasoning_cut TEXT NOT NULL DEFAULT ''",
};

// kMigrations[v] takes a database from version v to v + 1.
const std::array<std::span<const char* const>, kLatestVersion> kMigrations = {kVersion1, kVersion2, kVersion3};

} // namespace

int version(QSqlDatabase& db, QString* error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    return query.value(0).toInt();
}

QString migrate(QSqlDatabase& db, int target)
{
    QString error;
    const int from = version(db, &error);
    if (from < 0)
        return error;
    if (from > kLatestVersion)
        return QStringLiteral("it was written by a newer version of Ponder (schema %1, this one knows %2)")
            .arg(from)
            .arg(kLatestVersion);
    if (target > kLatestVersion || target < 0)
        return QStringLiteral("no schema version %1").arg(target);
    if (from >= target)
        return {};
    if (!db.transaction())
        return db.lastError().text();
    QSqlQuery query(db);
    for (int v = from; v < target; ++v) {
        for (const char* statement : kMigrations[v]) {
            if (!query.exec(QString::fromUtf8(statement))) {
                const QString failure = QStringLiteral("migrating to schema %1 failed: %2")
                                            .arg(v + 1)
                                            .arg(query.lastError().text());
                query.finish();
                db.rollback();
                return failure;
            }
        }
    }
    if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(target)) || !db.commit()) {
        const QString failure = query.lastError().isValid() ? query.lastError().text() : db.lastError().text();
        query.finish();
        db.rollback();
        return failure;
    }
    return {};
}

} // namespace ponder::app::schema
