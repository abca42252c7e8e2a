// Prepares a prose block of model output for Qt's Markdown renderer (a Qt
// Quick Text with textFormat MarkdownText): makes its math legible and takes
// away everything that could load a resource.
//
// Safety, by construction rather than by matching Qt's reader: Qt's
// Markdown dialect passes raw HTML through and shows images, and a Text loads
// image URLs by itself. So the output holds backticks only as the fences of
// code spans written here (each on one line, its fence longer than any run
// inside, never touching another backtick), and everywhere else every `!`,
// `<`, `&` and backtick is backslash-escaped: `![` cannot start an image
// (it becomes an ordinary link, which opens only when clicked and
// confirmed), `<` cannot start HTML or an autolink, `&` no entity. However
// the source pairs its backticks (Qt pairs them within a paragraph only), no
// raw text can fall outside a code span. The source's code spans are written
// again this way with the same content. An indented code block (four
// spaces) inside prose would show the backslashes; models fence their code.
//
// Cost: linear in the text, whatever it holds (an unmatched `\(`, `\[`,
// `\boxed{` or backtick run is found unmatched once, never rescanned).
//
// Math: Qt's renderer knows none. R1 writes math as `$…$`, `\(…\)`, `$$…$$`
// and `\[…\]`, and puts final answers in `\boxed{…}`; left alone, Markdown
// eats the backslashes and turns `_` and `*` into emphasis. The rule, kept
// simple on purpose:
// - Math becomes a code span of its TeX source, without the delimiters, with
//   line breaks folded to spaces: `$x_1^2$` shows as `x_1^2` in the monospace
//   font, exactly as written.
// - `\boxed{X}` (also inside math) becomes bold text, X's punctuation
//   backslash-escaped so it shows literally: the final answer stands out.
//   Braces nest; `\{` and `\}` do not count.
// - Inline `$` follows Pandoc's rule so prices stay text: the opening `$` is
//   not followed by white space, the closing one not preceded by white space
//   nor followed by a digit, and both are on one line. "$5 and $10" is text.
// - Existing code spans and backslash escapes (`\$`) are left untouched.
// - Unclosed math (still streaming) stays as it is until its end arrives.
#pragma once

#include <QString>
#include <QStringView>

namespace ponder::app {

// `markdown` made safe and legible as above. For prose only, never for code
// blocks. `examined`, when given, gets the number of characters read and
// written (a measure of the work, for tests of the linear cost).
QString displayMarkdown(QStringView markdown, qsizetype* examined = nullptr);

// A Markdown code span showing `text` literally, whatever backticks it holds:
// the fence is one backtick longer than the longest run inside, with a space
// inside each end where the text starts or ends with a backtick or space.
// Empty text gives an empty string.
QString markdownCodeSpan(QStringView text);

} // namespace ponder::app
