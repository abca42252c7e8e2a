// The pure parts of CodeHighlighter: turning the highlighter tool's HTML into
// markup that is safe in a Qt Quick Text (textFormat RichText), the plain
// fallback, and mapping code-fence language names to KDE syntax names.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace ponder::app {

// The highlighted code from kate-syntax-highlighter's HTML page, rebuilt from
// a whitelist: only the text and <span style> with colour (#hex only),
// font-weight, font-style and text-decoration survive, inside one
// <pre>; every other tag, attribute, URL and script is dropped, and all text
// is re-escaped. The page's text colour becomes an outer span. Empty when the
// page holds no <pre> (the tool failed).
QString sanitizeHighlightedHtml(QStringView page);

// `text` escaped inside a <pre>: what a code block shows until (or instead
// of) its highlighted form. One trailing line break is dropped, as in
// sanitizeHighlightedHtml().
QString plainCodeHtml(QStringView text);

// The KDE syntax name for a fence language as models write it ("py",
// "c++", "sh", "JSON", "Objective-C"): a fixed table of common names first,
// case-insensitive. Empty when the table has no entry.
QString kdeSyntaxForAlias(QStringView language);

// Every fence name the table above knows, lower case.
QStringList kdeSyntaxAliasNames();

// Fence languages that mean "no highlighting": "", text, plain, output, log...
bool isPlainLanguage(QStringView language);

} // namespace ponder::app
