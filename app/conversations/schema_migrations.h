// A versioned SQLite schema (its version in `PRAGMA user_version`), shared
// by the conversation store and the comparison store: each migration is a
// list of statements that takes the database one version up, and
// migrateSchema() runs every step a database needs in one transaction, so a
// failure leaves it at the version it had.
#pragma once

#include <QString>

#include <span>

class QSqlDatabase;

namespace ponder::app {

// One step: statements, one per exec() as Qt's SQLite driver runs them.
using SchemaMigration = std::span<const char* const>;

// The database's user_version, or -1 with `error` set when it cannot be read
// (not a database, unreadable).
int schemaVersion(QSqlDatabase& db, QString* error);

// Brings the database from its version to `target`: migrations[v] takes it
// from v to v + 1, so migrations.size() is the latest version. Empty on
// success, else what went wrong. A database newer than the latest version is
// refused: an older Ponder must not write to it.
QString migrateSchema(QSqlDatabase& db, std::span<const SchemaMigration> migrations, int target);

} // namespace ponder::app
