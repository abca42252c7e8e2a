// The conversation database's layout and its migrations (SQLite, through
// Qt SQL). The version lives in `PRAGMA user_version`; each migration is a
// list of statements that takes the database one version up, and migrate()
// runs every step a database needs in one transaction, so a failure leaves
// it at the version it had.
//
// Version 1: conversations and a tree of messages.
//   conversations(id, title, created_ms, updated_ms, model, settings JSON,
//                 current_leaf → the last message of the branch on screen)
//   messages(id, conversation_id, parent_id, role, reasoning, content, status,
//            error, created_ms)
// Version 2: generation statistics per message: prompt_tokens,
//   generated_tokens, reasoning_tokens, first_token_ms, reasoning_ms,
//   tokens_per_second.
// Version 3: reasoning_cut, why the reasoning ended before the model ended
//   it ('' it did not, 'answer now', 'budget'; conversation_store.h ReasoningCut).
//
// Versions are a tree through parent_id: a message's parent is the message
// before it in the conversation (NULL for the first). Messages with the same
// parent are versions of one another: editing a user message and resending
// adds a sibling of it, whose answers hang below it; regenerating an answer
// adds a sibling of that answer. The branch shown runs from a root to
// conversations.current_leaf. Deleting a conversation deletes its messages
// (ON DELETE CASCADE); the store deletes a message with everything below it.
// Times are milliseconds since the Unix epoch, UTC.
#pragma once

#include <QString>

class QSqlDatabase;

namespace ponder::app::schema {

constexpr int kLatestVersion = 3;

// The database's user_version, or -1 with `error` set when it cannot be read
// (not a database, unreadable).
int version(QSqlDatabase& db, QString* error);

// Brings the database from its version to `target` (<= kLatestVersion).
// Returns an empty string on success, else what went wrong. A database newer
// than kLatestVersion is refused: an older Ponder must not write to it.
QString migrate(QSqlDatabase& db, int target = kLatestVersion);

} // namespace ponder::app::schema
