// A conversation as a Markdown file (issue 16 item 4): a title heading, each
// turn under its role ("**You**", the model's name), the answer's Markdown
// as stored and its reasoning in a collapsible <details> block, which GitHub
// and most Markdown viewers render.
//
// What the model (or the user) wrote is hostile to the file around it: an
// unclosed code fence, a `</details>`, a `<script>` or `<!--` would end the
// reasoning early or swallow every turn after it. So every piece of text
// goes in through containedMarkdown(), which parses it with md4c (GitHub's
// dialect, the one the file is read in) and changes it until it holds no raw
// HTML and ends where it seems to end; what cannot be made so goes in as a
// code block behind a fence longer than any inside it.
#pragma once

#include <QList>
#include <QString>

#include "conversation_store.h"

namespace ponder::app {

// The Markdown file of a conversation: `branch` is its messages on screen
// (ConversationStore::currentBranch: one version of each), in order.
QString conversationMarkdown(const ConversationInfo& conversation, const QList<StoredMessage>& branch);

// `markdown` changed only as much as needed to stand as a run of whole
// blocks between other blocks: no raw HTML (each tag's `<` is escaped, so
// it shows as text), no block left open at its end (an unclosed fence gets
// its closing fence). Failing that, the text as a fenced code block with
// `language` as its info string. Line ends become "\n"; no trailing newline.
QString containedMarkdown(const QString& markdown, const QString& language = QStringLiteral("text"));

// `text` (a title, a model's name, an error) as Markdown inline text that
// reads as written: on one line, its Markdown and HTML characters escaped.
QString escapedInline(const QString& text);

// A file name for a conversation titled `title`: "<title>.md" with the
// characters Windows, macOS or Linux refuse in a name replaced, at most 80
// characters before ".md"; "Conversation.md" for an empty title.
QString exportFileName(const QString& title);

} // namespace ponder::app
