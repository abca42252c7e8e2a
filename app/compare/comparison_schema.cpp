#include "comparison_schema.h"

#include "schema_migrations.h"

#include <array>
#include <span>

namespace ponder::app::comparison_schema {
namespace {

// One statement per exec(), as Qt's SQLite driver runs them.
constexpr std::array kVersion1 = {
    "CREATE TABLE comparisons ("
    " id INTEGER PRIMARY KEY,"
    " created_ms INTEGER NOT NULL,"
    " title TEXT NOT NULL DEFAULT '',"
    " evaluation_set INTEGER NOT NULL DEFAULT 0,"
    " seed INTEGER NOT NULL,"
    " max_tokens INTEGER NOT NULL,"
    " device TEXT NOT NULL DEFAULT '',"
    " reference INTEGER NOT NULL,"
    " prompts TEXT NOT NULL,"
    " token_texts TEXT NOT NULL DEFAULT '{}')",
    "CREATE TABLE comparison_models ("
    " comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL,"
    " path TEXT NOT NULL,"
    " file_type TEXT NOT NULL,"
    " model_id TEXT NOT NULL DEFAULT '',"
    " quant TEXT NOT NULL DEFAULT '',"
    " file_bytes INTEGER NOT NULL,"
    " memory_bytes INTEGER NOT NULL,"
    " bits_per_weight REAL NOT NULL,"
    " positions INTEGER NOT NULL,"
    " mean_kld REAL NOT NULL,"
    " median_kld REAL NOT NULL,"
    " kld_99 REAL NOT NULL,"
    " kld_999 REAL NOT NULL,"
    " max_kld REAL NOT NULL,"
    " same_top_percent REAL NOT NULL,"
    " rms_delta_p_percent REAL NOT NULL,"
    " reference_ppl REAL NOT NULL,"
    " candidate_ppl REAL NOT NULL,"
    " ppl_ratio REAL NOT NULL,"
    " tokens_per_second REAL NOT NULL,"
    " mean_reasoning_tokens REAL NOT NULL,"
    " detail TEXT NOT NULL,"
    " PRIMARY KEY (comparison_id, position))",
    "CREATE TABLE reference_prompts ("
    " comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,"
    " prompt INTEGER NOT NULL,"
    " pieces TEXT NOT NULL,"
    " top TEXT NOT NULL,"
    " logits BLOB NOT NULL,"
    " PRIMARY KEY (comparison_id, prompt))",
    "CREATE INDEX comparison_models_by_model ON comparison_models(model_id, quant)",
};

// kMigrations[v] takes a database from version v to v + 1.
const std::array<SchemaMigration, kLatestVersion> kMigrations = {kVersion1};

} // namespace

int version(QSqlDatabase& db, QString* error)
{
    return schemaVersion(db, error);
}

QString migrate(QSqlDatabase& db, int target)
{
    return migrateSchema(db, kMigrations, target);
}

} // namespace ponder::app::comparison_schema
