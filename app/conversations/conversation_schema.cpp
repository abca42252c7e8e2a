#include "conversation_schema.h"

#include "schema_migrations.h"

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
const std::array<SchemaMigration, kLatestVersion> kMigrations = {kVersion1, kVersion2, kVersion3};

} // namespace

int version(QSqlDatabase& db, QString* error)
{
    return schemaVersion(db, error);
}

QString migrate(QSqlDatabase& db, int target)
{
    return migrateSchema(db, kMigrations, target);
}

} // namespace ponder::app::schema
