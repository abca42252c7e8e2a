// An answer's Markdown as plain text, for "Copy as plain text": the words
// without the markup, read by md4c (GitHub's dialect). Paragraphs and
// headings apart by a blank line; list items as "- " or "3. " (their
// number) with tasks as "[x] ", nested items indented; quotes behind "> ";
// code blocks as their text, unfenced; table cells apart by a tab; a link
// as "text (url)" unless its text is its address; an image as its
// description; entities decoded; math ($…$) kept as its LaTeX source; raw
// HTML kept as written (the chat shows it as text too).
#pragma once

#include <QString>

namespace ponder::app {

QString markdownToPlainText(const QString& markdown);

} // namespace ponder::app
