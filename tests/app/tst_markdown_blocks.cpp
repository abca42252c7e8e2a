// The answer's Markdown as blocks (markdown_blocks.h): a table of CommonMark
// and GitHub cases, those Qt 6.4's importer gets wrong among them (it
// restarts every ordered list after a code block), the safety rules (no
// link but http and https, no image, no HTML), math, and the streaming
// parser's work staying linear in the text (markdown_stream.h).
#include <QtTest>

#include <QRandomGenerator>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>

#include "markdown_blocks.h"
#include "markdown_stream.h"
#include "message_content.h"

using namespace ponder::app;

namespace {

QString kindName(MarkdownBlock::Kind kind)
{
    static const char* names[] = {"p", "h", "item", "code", "table", "rule", "math"};
    return QString::fromLatin1(names[int(kind)]);
}

// One line per block: kind, level or depths, marker or task, then content.
QStringList describe(const QList<MarkdownBlock>& blocks)
{
    QStringList lines;
    for (const MarkdownBlock& b : blocks) {
        QString line = kindName(b.kind);
        if (b.kind == MarkdownBlock::Kind::Heading)
            line += QString::number(b.level);
        if (b.listDepth > 0)
            line += QStringLiteral(" L%1").arg(b.listDepth);
        if (b.quoteDepth > 0)
            line += QStringLiteral(" Q%1").arg(b.quoteDepth);
        if (!b.marker.isEmpty())
            line += u' ' + b.marker;
        if (b.task != MarkdownBlock::Task::None)
            line += b.task == MarkdownBlock::Task::Checked ? QStringLiteral(" [x]") : QStringLiteral(" [ ]");
        if (b.kind == MarkdownBlock::Kind::Code)
            line += QStringLiteral(" (%1) %2").arg(b.language, b.text);
        else if (b.kind == MarkdownBlock::Kind::Math)
            line += u' ' + b.text;
        else if (b.kind == MarkdownBlock::Kind::Table) {
            line += u' ' + b.alignments.join(u',');
            for (const QStringList& row : b.cells)
                line += QStringLiteral(" / ") + row.join(u'|');
        } else if (b.kind != MarkdownBlock::Kind::Rule)
            line += QStringLiteral(": ") + b.html;
        lines << line;
    }
    return lines;
}

QStringList blocksOf(const QString& markdown)
{
    return describe(parseMarkdown(markdown).blocks);
}

// What in a block's HTML could load a resource or lead elsewhere than the
// web: image fragments, and links that are not http or https, once Qt's
// rich-text reader (what a Text with RichText uses) has read it.
QString unsafeParts(const QString& html)
{
    QTextDocument document;
    document.setHtml(html);
    QStringList found;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.isImageFormat())
                found << QStringLiteral("image: ") + format.toImageFormat().name();
            const QString href = format.anchorHref();
            if (!href.isEmpty() && !href.startsWith(QLatin1String("http://")) &&
                !href.startsWith(QLatin1String("https://")))
                found << QStringLiteral("link: ") + href;
        }
    return found.join(u'\n');
}

// Pieces hostile answers are made of: images and HTML in every form, code
// span backticks, blank lines, escapes, math openers, table pipes, links.
const QStringList kPieces = {
    "`", "``", "```", "\n\n", "\n", "![x](http://127.0.0.1:9/a.png)", "<img src=http://127.0.0.1:9/b.png>",
    "<IMG SRC=\"http://127.0.0.1:9/c.png\"/>", "[r]: http://127.0.0.1:9/d.png\n", "![r]", "![r][]",
    "&lt;img src=x&gt;", "&#60;", "\\", "\\`", "$", "$$", "\\(", "\\)", "\\[", "\\]", "\\boxed{", "}",
    "| a | b |\n|---|---|\n| ", " | ", "!", "[", "]", "(", ")", "<", ">", "    ", "- ", "2. ", "> ", "text ",
    "<!-- -->", "<p>", "[j](javascript:alert(1))", "[f](file:///etc/passwd)", "<a href=\"file:///x\">a</a>",
    "\"", "*", "_", "~~", "[ ] ", "[x] ",
};

} // namespace

class TestMarkdownBlocks : public QObject {
    Q_OBJECT

private slots:
    void cases_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("paragraph with emphasis, strong, strike, code")
            << "Some *em*, **strong**, ~~gone~~ and `a<b`."
            << QStringList{"p: Some <i>em</i>, <b>strong</b>, <s>gone</s> and <code>a&lt;b</code>."};
        QTest::newRow("setext and ATX headings")
            << "Title\n=====\n\nSub\n---\n\n### Three ###"
            << QStringList{"h1: Title", "h2: Sub", "h3: Three"};
        QTest::newRow("ordered list continued after a fenced code block keeps its number")
            << "1. one\n2. two\n\n```py\nx = 1\n```\n\n3. three\n4. four"
            << QStringList{"item L1 1.: one", "item L1 2.: two", "code (py) x = 1", "item L1 3.: three",
                           "item L1 4.: four"};
        QTest::newRow("ordered list from its start, numbered on")
            << "7) seven\n7) eight\n\n   more of eight"
            << QStringList{"item L1 7): seven", "item L1 8): eight", "p L1: more of eight"};
        QTest::newRow("nested lists")
            << "- a\n  - b\n    1. c\n- d"
            << QStringList{"item L1 •: a", "item L2 •: b", "item L3 1.: c", "item L1 •: d"};
        QTest::newRow("task list")
            << "- [x] done\n- [ ] todo"
            << QStringList{"item L1 [x]: done", "item L1 [ ]: todo"};
        QTest::newRow("table with alignment and an escaped pipe")
            << "| a | b | c |\n| :-- | :-: | --: |\n| x \\| y | *z* | 1 |"
            << QStringList{"table left,center,right / a|b|c / x | y|<i>z</i>|1"};
        QTest::newRow("block quotes, nested")
            << "> outer\n>> inner\n\nafter"
            << QStringList{"p Q1: outer", "p Q2: inner", "p: after"};
        QTest::newRow("thematic break")
            << "a\n\n***\n\nb" << QStringList{"p: a", "rule", "p: b"};
        QTest::newRow("indented code block in prose")
            << "text\n\n    int x;\n" << QStringList{"p: text", "code () int x;"};
        QTest::newRow("web links only")
            << "[w](https://example.com/?a=1&b=\"2\") [j](javascript:alert(1)) [f](file:///etc/passwd) "
               "[d](data:text/html,<b>x</b>) <mailto:a@b.c> www.example.org"
            << QStringList{"p: <a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">w</a> j f d mailto:a@b.c "
                           "<a href=\"http://www.example.org\">www.example.org</a>"};
        QTest::newRow("a link whose text is another address goes where it says, once")
            << "[https://bank.example/login](http://evil.example/phish)"
            << QStringList{"p: <a href=\"http://evil.example/phish\">https://bank.example/login</a>"};
        QTest::newRow("image inert: alt text and address as text")
            << "![a cat](http://x.test/cat.png)"
            << QStringList{"p: a cat (http://x.test/cat.png)"};
        QTest::newRow("raw HTML shown as text")
            << "<b>bold</b> <img src=\"http://x.test/a.png\">\n\n<div>\nblock\n</div>"
            << QStringList{"p: &lt;b&gt;bold&lt;/b&gt; &lt;img src=&quot;http://x.test/a.png&quot;&gt;",
                           "p: &lt;div&gt; block &lt;/div&gt;"};
        QTest::newRow("entities decoded, then escaped")
            << "&amp; &lt;b&gt; &copy; &#65; &#x263A; &#0; &nosuch;"
            << QStringList{"p: &amp; &lt;b&gt; © A ☺ \uFFFD &amp;nosuch;"};
        QTest::newRow("inline math in dollars and brackets, prices stay text")
            << "Area $\\pi r^2$ and \\(x_1 * y_1\\) cost $5 and $10."
            << QStringList{"p: Area <code>$\\pi r^2$</code> and <code>$x_1 * y_1$</code> cost $5 and $10."};
        QTest::newRow("display math alone in a paragraph")
            << "$$\nx^2\n$$\n\n\\[\n\\sum_k k\n\\]"
            << QStringList{"math x^2", "math \\sum_k k"};
        QTest::newRow("unclosed math stays source")
            << "Still \\(x + *y* and $z"
            << QStringList{"p: Still (x + <i>y</i> and $z"};
        QTest::newRow("boxed answer in bold, literally")
            << "So \\boxed{x_1 = *2*} done."
            << QStringList{"p: So <b>x_1 = *2*</b> done."};
        QTest::newRow("hostile nesting")
            << QString(">").repeated(300) + " deep\n\n" + QStringLiteral("- ").repeated(300) + "x"
            << QStringList{"p Q300: deep", "item L16 •: x"};
    }

    void cases()
    {
        QFETCH(QString, markdown);
        QFETCH(QStringList, expected);
        const QStringList blocks = blocksOf(markdown);
        QCOMPARE(blocks.join(u'\n'), expected.join(u'\n'));
    }

    // Random answers from the hostile pieces, seeded so a failure repeats:
    // no block's HTML holds an image or a link off the web.
    void randomAnswersAreSafe()
    {
        QCOMPARE(unsafeParts(QStringLiteral("<img src=\"http://x/a.png\"><a href=\"file:///x\">f</a>")).count(u'\n'), 1);
        QRandomGenerator random(12);
        for (int round = 0; round < 3000; ++round) {
            QString markdown;
            const int pieces = random.bounded(1, 24);
            for (int i = 0; i < pieces; ++i)
                markdown += kPieces[random.bounded(int(kPieces.size()))];
            for (const MarkdownBlock& block : parseMarkdown(markdown).blocks) {
                QStringList htmls{block.html};
                for (const QStringList& row : block.cells)
                    htmls += row;
                for (const QString& html : htmls) {
                    const QString parts = unsafeParts(html);
                    QVERIFY2(parts.isEmpty(), qPrintable(parts + QStringLiteral("\nfrom: ") + markdown));
                }
            }
        }
    }

    // The stream's blocks equal the whole text's, however it was cut into chunks.
    void streamMatchesWhole_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::newRow("answer") << QStringLiteral(
            "# Sorting\n\nMerge sort is $O(n \\log n)$.\n\n1. split\n2. sort\n\n3. merge\n\n> a quote\n\n"
            "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n- [x] stable\n\nDone.");
        QTest::newRow("long list cut by size") << [] {
            QString text;
            for (int i = 1; i <= 600; ++i)
                text += QStringLiteral("%1. item %1\n").arg(i);
            return text;
        }();
    }

    void streamMatchesWhole()
    {
        QFETCH(QString, markdown);
        for (const int chunk : {1, 7, 100}) {
            MarkdownStream stream;
            QString text;
            for (qsizetype i = 0; i < markdown.size(); i += chunk) {
                text += markdown.mid(i, chunk);
                stream.update(text, false);
            }
            stream.update(text, true);
            QStringList got = describe(stream.blocks());
            if (markdown.size() < MarkdownStream::kPieceChars) {
                QCOMPARE(got.join(u'\n'), blocksOf(markdown).join(u'\n'));
            } else {  // cut by size, runs of items merged into a few blocks: the same items, numbered on
                QVERIFY2(stream.blocks().size() < 20, qPrintable(QString::number(stream.blocks().size())));
                QStringList lines;
                for (const MarkdownBlock& block : stream.blocks())
                    lines += block.kind == MarkdownBlock::Kind::ListItem ? QStringList{block.marker + u' ' + block.text}
                                                                         : block.text.split(u'\n');
                QCOMPARE(lines.size(), 600);
                for (int i = 0; i < lines.size(); ++i)
                    QCOMPARE(lines[i], QStringLiteral("%1. item %1").arg(i + 1));
            }
        }
    }

    // Only the last piece is parsed again: the work per appended character
    // stays bounded however long the answer grows, for text with and
    // without blank lines (a hostile megabyte paragraph).
    void streamWorkIsLinear_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::newRow("paragraphs") << QStringLiteral("Some *text* with $x$ and \\(y\\).\n\n");
        QTest::newRow("one paragraph") << QStringLiteral("word `code` \\( $ ` **\n");
        QTest::newRow("one line") << QStringLiteral("long \\( ` $ ");
        QTest::newRow("list") << QStringLiteral("- item `x`\n");
    }

    void streamWorkIsLinear()
    {
        QFETCH(QString, unit);
        auto workPerChar = [&](int units) {
            MarkdownStream stream;
            QString text;
            for (int i = 0; i < units; ++i) {
                text += unit;
                stream.update(text, false);
            }
            stream.update(text, true);
            return double(stream.work()) / double(text.size());
        };
        const double small = workPerChar(500);
        const double large = workPerChar(4000);
        // Reparsing the last piece costs up to a piece per update: bounded
        // by kPieceChars / unit size, not by the length of the text.
        const double bound = 8.0 * MarkdownStream::kPieceChars / double(unit.size()) + 16;
        QVERIFY2(large < bound, qPrintable(QStringLiteral("%1 per character, bound %2").arg(large).arg(bound)));
        QVERIFY2(large < 2.0 * small + 16, qPrintable(QStringLiteral("%1 vs %2 per character").arg(large).arg(small)));
    }

    // The model's rows change only at the end while an answer streams.
    void contentRowsChangeAtTheEnd()
    {
        MessageContent content;
        content.setExpectReasoning(false);
        content.clear();
        QSignalSpy changed(&content, &QAbstractItemModel::dataChanged);
        QSignalSpy removed(&content, &QAbstractItemModel::rowsRemoved);
        const QString answer = QStringLiteral("1. one\n2. two\n\n```py\nx = 1\n```\n\n3. three\n\nEnd.");
        for (const QChar c : answer) {
            const int rowsBefore = content.rowCount();
            changed.clear();
            content.append(QString(c));
            for (const auto& signal : changed)
                QVERIFY2(signal[0].value<QModelIndex>().row() >= rowsBefore - 2,
                         "an early row changed while the answer streamed");
        }
        content.finish();
        QVERIFY(removed.isEmpty());
        QCOMPARE(content.rowCount(), 5);
        QCOMPARE(content.data(content.index(2), MessageContent::KindRole).toString(), QStringLiteral("code"));
        QCOMPARE(content.data(content.index(3), MessageContent::MarkerRole).toString(), QStringLiteral("3."));
        QCOMPARE(content.data(content.index(4), MessageContent::HtmlRole).toString(), QStringLiteral("End."));
        QVERIFY(content.data(content.index(4), MessageContent::ClosedRole).toBool());
    }
};

QTEST_MAIN(TestMarkdownBlocks)
#include "tst_markdown_blocks.moc"
