#include "highlight_html.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

namespace ponder::app {
namespace {

// Fence names (lower case) to KDE syntax definition names (`--list`).
const QHash<QString, QString>& aliases()
{
    static const QHash<QString, QString> table = [] {
        const QList<std::pair<const char*, QStringList>> groups = {
            {"Python", {"python", "py", "python3", "py3", "gyp"}},
            {"C", {"c", "h"}},
            {"C++", {"c++", "cpp", "cxx", "cc", "hpp", "hxx", "hh", "h++", "cuda", "cu"}},
            {"C#", {"c#", "csharp", "cs"}},
            {"Objective-C", {"objective-c", "objc"}},
            {"Objective-C++", {"objective-c++", "objcpp"}},
            {"JavaScript", {"javascript", "js", "mjs", "cjs", "node"}},
            {"JavaScript React (JSX)", {"jsx"}},
            {"TypeScript", {"typescript", "ts", "mts", "cts"}},
            {"TypeScript React (TSX)", {"tsx"}},
            {"Rust", {"rust", "rs"}},
            {"Go", {"go", "golang"}},
            {"Java", {"java"}},
            {"Kotlin", {"kotlin", "kt", "kts"}},
            {"Scala", {"scala"}},
            {"Swift", {"swift"}},
            {"Dart", {"dart"}},
            {"Zig", {"zig"}},
            {"Nim", {"nim"}},
            {"D", {"d"}},
            {"Julia", {"julia", "jl"}},
            {"R Script", {"r"}},
            {"Matlab", {"matlab"}},
            {"Octave", {"octave"}},
            {"Haskell", {"haskell", "hs"}},
            {"Objective Caml", {"ocaml", "ml"}},
            {"FSharp", {"fsharp", "f#", "fs"}},
            {"Elixir", {"elixir", "ex", "exs"}},
            {"Erlang", {"erlang", "erl"}},
            {"Clojure", {"clojure", "clj", "cljs", "edn"}},
            {"Common Lisp", {"lisp", "common-lisp", "commonlisp", "cl"}},
            {"Scheme", {"scheme", "scm"}},
            {"Racket", {"racket", "rkt"}},
            {"Ruby", {"ruby", "rb"}},
            {"PHP/PHP", {"php"}},
            {"Perl", {"perl", "pl", "pm"}},
            {"Lua", {"lua"}},
            {"Tcl/Tk", {"tcl"}},
            {"AWK", {"awk"}},
            {"Bash", {"bash", "sh", "shell", "shellscript", "ksh"}},
            {"Zsh", {"zsh"}},
            {"Fish", {"fish"}},
            {"PowerShell", {"powershell", "ps1", "pwsh", "ps"}},
            {"MS-DOS Batch", {"bat", "batch", "cmd", "dos"}},
            {"SQL", {"sql"}},
            {"SQL (PostgreSQL)", {"postgresql", "postgres", "psql", "pgsql"}},
            {"JSON", {"json", "jsonc", "json5", "geojson"}},
            {"YAML", {"yaml", "yml"}},
            {"TOML", {"toml"}},
            {"INI Files", {"ini", "cfg", "conf", "properties"}},
            {"XML", {"xml", "svg", "xsd", "xsl", "plist"}},
            {"HTML", {"html", "htm", "xhtml"}},
            {"CSS", {"css"}},
            {"SCSS", {"scss"}},
            {"SASS", {"sass"}},
            {"LESSCSS", {"less"}},
            {"Markdown", {"markdown", "md"}},
            {"reStructuredText", {"rst", "restructuredtext"}},
            {"LaTeX", {"latex", "tex"}},
            {"BibTeX", {"bibtex", "bib"}},
            {"Diff", {"diff", "patch"}},
            {"Dockerfile", {"dockerfile", "docker", "containerfile"}},
            {"Makefile", {"makefile", "make", "mk"}},
            {"CMake", {"cmake"}},
            {"Meson", {"meson"}},
            {"Ninja", {"ninja"}},
            {"QMake", {"qmake", "pro"}},
            {"Nix", {"nix"}},
            {"GLSL", {"glsl", "vert", "frag", "comp"}},
            {"OpenCL", {"opencl", "cl-kernel"}},
            {"QML", {"qml"}},
            {"Protobuf", {"protobuf", "proto"}},
            {"GraphQL", {"graphql", "gql"}},
            {"Groovy", {"groovy", "gradle"}},
            {"Terraform", {"terraform", "hcl", "tf"}},
            {"Solidity", {"solidity", "sol"}},
            {"Verilog", {"verilog", "v", "sv", "systemverilog"}},
            {"VHDL", {"vhdl"}},
            {"Intel x86 (NASM)", {"asm", "nasm", "x86asm"}},
            {"GNU Assembler", {"gas", "s"}},
            {"LLVM", {"llvm", "ll"}},
            {"Fortran (Free Format)", {"fortran", "f90", "f95", "f03"}},
            {"Pascal", {"pascal", "delphi"}},
            {"Ada", {"ada"}},
            {"COBOL", {"cobol"}},
            {"Prolog", {"prolog"}},
            {"Crystal", {"crystal", "cr"}},
            {"Elm", {"elm"}},
            {"CoffeeScript", {"coffeescript", "coffee"}},
            {"dot", {"dot", "graphviz"}},
            {"Gnuplot", {"gnuplot"}},
            {"Mathematica", {"mathematica", "wolfram"}},
            {"CSV", {"csv"}},
            {"systemd unit", {"systemd", "service"}},
        };
        QHash<QString, QString> map;
        for (const auto& [syntax, names] : groups)
            for (const QString& name : names)
                map.insert(name, QString::fromUtf8(syntax));
        return map;
    }();
    return table;
}

// One CSS declaration of the tool's spans, or empty when it is not on the whitelist.
QString allowedDeclaration(QStringView declaration)
{
    static const QRegularExpression hexColour(QStringLiteral("^#[0-9a-fA-F]{3,8}$"));
    static const QRegularExpression numericWeight(QStringLiteral("^[1-9]00$"));
    const qsizetype colon = declaration.indexOf(u':');
    if (colon < 0)
        return {};
    const QString property = declaration.left(colon).trimmed().toString().toLower();
    const QString value = declaration.mid(colon + 1).trimmed().toString().toLower();
    bool ok = false;
    if (property == u"color" || property == u"background-color")
        ok = hexColour.match(value).hasMatch();
    else if (property == u"font-weight")
        ok = value == u"bold" || value == u"normal" || numericWeight.match(value).hasMatch();
    else if (property == u"font-style")
        ok = value == u"italic" || value == u"normal";
    else if (property == u"text-decoration")
        ok = value == u"underline" || value == u"line-through" || value == u"none";
    return ok ? property + u':' + value + u';' : QString();
}

// The whitelisted declarations of a tag's style="…" attribute.
QString allowedStyle(QStringView tag)
{
    static const QRegularExpression style(QStringLiteral("\\bstyle\\s*=\\s*\"([^\"]*)\""));
    const QRegularExpressionMatch match = style.match(tag);
    if (!match.hasMatch())
        return {};
    QString result;
    for (const QStringView declaration : match.capturedView(1).split(u';'))
        result += allowedDeclaration(declaration);
    return result;
}

// Decodes the entity at `text[at]` ('&'); `length` gets its size (1 when it is no entity).
QChar decodeEntity(QStringView text, qsizetype at, qsizetype& length)
{
    length = 1;
    const qsizetype end = text.indexOf(u';', at);
    if (end < 0 || end - at > 10)
        return u'&';
    const QStringView name = text.mid(at + 1, end - at - 1);
    QChar c;
    if (name == u"lt")
        c = u'<';
    else if (name == u"gt")
        c = u'>';
    else if (name == u"amp")
        c = u'&';
    else if (name == u"quot")
        c = u'"';
    else if (name == u"apos")
        c = u'\'';
    else if (name.startsWith(u'#')) {
        bool ok = false;
        const uint code = name.startsWith(u"#x") || name.startsWith(u"#X") ? name.mid(2).toUInt(&ok, 16)
                                                                           : name.mid(1).toUInt(&ok, 10);
        if (!ok || code == 0 || code > 0xFFFF || QChar::isSurrogate(code))
            return u'&';
        c = QChar(char16_t(code));
    } else {
        return u'&';
    }
    length = end - at + 1;
    return c;
}

QString dropOneTrailingNewline(QString text)
{
    if (text.endsWith(u'\n'))
        text.chop(1);
    return text;
}

} // namespace

QString sanitizeHighlightedHtml(QStringView page)
{
    const qsizetype preOpen = page.indexOf(u"<pre>");
    const qsizetype preClose = page.lastIndexOf(u"</pre>");
    if (preOpen < 0 || preClose < preOpen)
        return {};
    QStringView body = page.mid(preOpen + 5, preClose - preOpen - 5);
    if (body.startsWith(u'\n'))  // the tool's own line break after <pre>
        body = body.mid(1);

    QString out;
    QString text;  // decoded text waiting to be escaped
    int openSpans = 0;
    const auto flushText = [&] {
        out += text.toHtmlEscaped();
        text.clear();
    };
    for (qsizetype i = 0; i < body.size();) {
        const QChar c = body[i];
        if (c == u'<') {
            const qsizetype close = body.indexOf(u'>', i);
            if (close < 0)
                break;  // a cut-off tag: drop the rest
            const QStringView tag = body.mid(i + 1, close - i - 1).trimmed();
            flushText();
            if (tag.startsWith(u"span", Qt::CaseInsensitive) && (tag.size() == 4 || tag[4].isSpace())) {
                out += QStringLiteral("<span style=\"%1\">").arg(allowedStyle(tag));
                ++openSpans;
            } else if (tag.compare(u"/span", Qt::CaseInsensitive) == 0 && openSpans > 0) {
                out += QStringLiteral("</span>");
                --openSpans;
            }
            i = close + 1;
        } else if (c == u'&') {
            qsizetype length = 1;
            text += decodeEntity(body, i, length);
            i += length;
        } else {
            text += c;
            ++i;
        }
    }
    flushText();
    while (openSpans-- > 0)
        out += QStringLiteral("</span>");

    // The page's own text colour, so unhighlighted code reads on the theme's background.
    const qsizetype bodyTag = page.indexOf(u"<body");
    const QString pageStyle =
        bodyTag >= 0 && bodyTag < preOpen ? allowedStyle(page.mid(bodyTag, preOpen - bodyTag)) : QString();
    QString colour;
    for (const QStringView declaration : QStringView(pageStyle).split(u';'))
        if (declaration.startsWith(u"color:"))
            colour = declaration.toString() + u';';
    // A span may end after the last line break: move breaks out of spans, then drop the last.
    out = dropOneTrailingNewline(out.replace(QStringLiteral("\n</span>"), QStringLiteral("</span>\n")));
    return QStringLiteral("<pre><span style=\"%1\">%2</span></pre>").arg(colour, out);
}

QString plainCodeHtml(QStringView text)
{
    return QStringLiteral("<pre>%1</pre>").arg(dropOneTrailingNewline(text.toString()).toHtmlEscaped());
}

QString kdeSyntaxForAlias(QStringView language)
{
    return aliases().value(language.trimmed().toString().toLower());
}

QStringList kdeSyntaxAliasNames()
{
    return aliases().keys();
}

bool isPlainLanguage(QStringView language)
{
    static const QStringList plain = {QString(),          QStringLiteral("text"),    QStringLiteral("txt"),
                                      QStringLiteral("plain"), QStringLiteral("plaintext"), QStringLiteral("output"),
                                      QStringLiteral("console"), QStringLiteral("log"),   QStringLiteral("none"),
                                      QStringLiteral("nohighlight")};
    return plain.contains(language.trimmed().toString().toLower());
}

} // namespace ponder::app
