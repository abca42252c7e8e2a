#include "schema_migrations.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct MigrationText {
    Q_DECLARE_TR_FUNCTIONS(SchemaMigrations)
};

} // namespace

int schemaVersion(QSqlDatabase& db, QString* error)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next()) {
        if (error)
            *error = query.lastError().text();
        return -1;
    }
    return query.value(0).toInt();
}

QString migrateSchema(QSqlDatabase& db, std::span<const SchemaMigration> migrations, int target)
{
    QString error;
    const int latest = int(migrations.size());
    const int from = schemaVersion(db, &error);
    if (from < 0)
        return error;
    if (from > latest)
        return MigrationText::tr("it was written by a newer version of Ponder (schema %1, this one knows %2)")
            .arg(from)
            .arg(latest);
    if (target > latest || target < 0)
        return MigrationText::tr("no schema version %1").arg(target);
    if (from >= target)
        return {};
    if (!db.transaction())
        return db.lastError().text();
    QSqlQuery query(db);
    for (int v = from; v < target; ++v) {
        for (const char* statement : migrations[size_t(v)]) {
            if (!query.exec(QString::fromUtf8(statement))) {
                const QString failure = MigrationText::tr("migrating to schema %1 failed: %2")
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

} // namespace ponder::app
