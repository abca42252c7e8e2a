// The comparison database's layout and its migrations, in the style of the
// conversation database (conversation_schema.h): the version in `PRAGMA
// user_version`, each migration a list of statements taking it one version
// up, all the steps a database needs in one transaction.
//
// The comparisons live in a database file of their own
// (comparisons.sqlite beside conversations.sqlite), not in the
// conversations': the reference's logits make them large (tens of KB per
// prompt), the chat's store holds a lock for its one process and writes as
// answers stream, and removing or damaging one file must never cost the other.
//
// Version 1:
//   comparisons(id, created_ms, title, evaluation_set, seed, max_tokens,
//               device, reference (index into its models), prompts JSON,
//               token_texts JSON: the text of each token the top lists name)
//   comparison_models(comparison_id, position, path, file_type, model_id,
//               quant, file_bytes, memory_bytes, bits_per_weight, the
//               statistics (llama.cpp's: mean/median/99%/99.9%/max KLD,
//               same top p, RMS Δp, both perplexities and their ratio),
//               tokens_per_second, mean_reasoning_tokens, detail JSON (its
//               answers, its divergence at every token, where it departs))
//   reference_prompts(comparison_id, prompt, pieces JSON, top JSON,
//               logits BLOB: CompactLogits::toBytes())
// Deleting a comparison deletes its rows (ON DELETE CASCADE). Times are
// milliseconds since the Unix epoch, UTC.
#pragma once

#include <QString>

class QSqlDatabase;

namespace ponder::app::comparison_schema {

constexpr int kLatestVersion = 1;

// The database's user_version, or -1 with `error` set when it cannot be read.
int version(QSqlDatabase& db, QString* error);

// Brings the database to `target` (<= kLatestVersion); empty on success,
// else what went wrong. A newer database than this Ponder knows is refused.
QString migrate(QSqlDatabase& db, int target = kLatestVersion);

} // namespace ponder::app::comparison_schema
