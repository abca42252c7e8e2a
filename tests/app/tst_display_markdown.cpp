// displayMarkdown against hostile model output: whatever the Markdown, the
// document Qt's reader makes of the result holds no image, no raw HTML and
// nothing else that loads a resource; its cost is linear in the text, also
// for thousands of unmatched openers.
#include <QtTest>

#include <QRandomGenerator>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>

#include "display_markdown.h"

using ponder::app::displayMarkdown;

namespace {

// What in `document` could load a resource or run markup: image fragments,
// and HTML that Qt would write back as an <img>. Empty when nothing.
QString loadableParts(const QTextDocument& document)
{
    QStringList found;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().isImageFormat())
                found << QStringLiteral("image: ") + it.fragment().charFormat().toImageFormat().name();
    if (document.toHtml().contains(QStringLiteral("<img"), Qt::CaseInsensitive))
        found << QStringLiteral("<img> in the HTML");
    return found.join(u'\n');
}

QString render(const QString& markdown)
{
    QTextDocument document;
    document.setMarkdown(displayMarkdown(markdown));
    return loadableParts(document);
}

// Pieces hostile answers are made of: images and HTML in every form, code
// span backticks, blank lines, escapes, math openers, table pipes.
const QStringList kPieces = {
    QStringLiteral("`"), QStringLiteral("``"), QStringLiteral("```"), QStringLiteral("\n\n"), QStringLiteral("\n"),
    QStringLiteral("![x](http://127.0.0.1:9/a.png)"), QStringLiteral("<img src=http://127.0.0.1:9/b.png>"),
    QStringLiteral("<IMG SRC=\"http://127.0.0.1:9/c.png\"/>"), QStringLiteral("[r]: http://127.0.0.1:9/d.png\n"),
    QStringLiteral("![r]"), QStringLiteral("![r][]"), QStringLiteral("&lt;img src=x&gt;"), QStringLiteral("&#60;"),
    QStringLiteral("\\"), QStringLiteral("\\`"), QStringLiteral("$"), QStringLiteral("$$"), QStringLiteral("\\("),
    QStringLiteral("\\)"), QStringLiteral("\\boxed{"), QStringLiteral("}"), QStringLiteral("| a | b |\n|---|---|\n| "),
    QStringLiteral(" | "), QStringLiteral("!"), QStringLiteral("["), QStringLiteral("]"), QStringLiteral("("),
    QStringLiteral(")"), QStringLiteral("<"), QStringLiteral(">"), QStringLiteral("    "), QStringLiteral("- "),
    QStringLiteral("2. "), QStringLiteral("text "), QStringLiteral("<!-- -->"), QStringLiteral("<p>"),
};

// `size` characters of unmatched openers of every kind the clean-up pairs.
QString adversarial(qsizetype size)
{
    const QString unit = QStringLiteral("\\( \\[ \\boxed{ ` a `` $$ $b ![c](d) <e> &f; ");
    QString text;
    text.reserve(size + unit.size());
    while (text.size() < size)
        text += unit;
    return text;
}

} // namespace

class TestDisplayMarkdown : public QObject {
    Q_OBJECT

private slots:
    void nothingLoads_data()
    {
        QTest::addColumn<QString>("markdown");
        // Qt pairs backticks within a paragraph; a pairing across a blank
        // line must not leave the text between them raw.
        QTest::newRow("backticks across a blank line")
            << "a `b\n\n![x](http://127.0.0.1:9/a.png) <img src=\"http://127.0.0.1:9/b.png\">\n\nc` d";
        QTest::newRow("image") << "![cat](http://127.0.0.1:9/cat.png)";
        QTest::newRow("image by reference") << "[r]: http://127.0.0.1:9/e.png\n\n![x][r] ![r]";
        QTest::newRow("raw html") << "<img src=http://127.0.0.1:9/f.png>";
        QTest::newRow("html block") << "<div>\n<img src=\"http://127.0.0.1:9/g.png\">\n</div>";
        QTest::newRow("escaped backslash before html") << "\\\\<img src=http://127.0.0.1:9/h.png>";
        QTest::newRow("pipe in a code span in a table")
            << "| a | b |\n|---|---|\n| `x|<img src=http://127.0.0.1:9/i.png>` | y |";
        QTest::newRow("math beside a code span") << "$x$`<img src=http://127.0.0.1:9/j.png>`";
        QTest::newRow("entity") << "&lt;img src=http://127.0.0.1:9/k.png&gt; &#x3C;img&#x3E;";
        QTest::newRow("boxed") << "\\boxed{<img src=http://127.0.0.1:9/l.png>} \\(![m](http://127.0.0.1:9/m.png)\\)";
    }

    void nothingLoads()
    {
        QFETCH(QString, markdown);
        const QString parts = render(markdown);
        QVERIFY2(parts.isEmpty(), qPrintable(parts + QStringLiteral("\nfrom: ") + displayMarkdown(markdown)));
    }

    // The check above can fail: the first document without the clean-up loads an image.
    void guardCanFail()
    {
        QTextDocument raw;
        raw.setMarkdown(QStringLiteral("a `b\n\n![x](http://127.0.0.1:9/a.png)\n\nc` d"));
        QVERIFY(!loadableParts(raw).isEmpty());
    }

    // Random answers from the hostile pieces, seeded so a failure repeats.
    void randomAnswersLoadNothing()
    {
        QRandomGenerator random(12);
        for (int round = 0; round < 3000; ++round) {
            QString markdown;
            const int pieces = random.bounded(1, 24);
            for (int p = 0; p < pieces; ++p)
                markdown += kPieces[random.bounded(int(kPieces.size()))];
            const QString parts = render(markdown);
            QVERIFY2(parts.isEmpty(), qPrintable(QStringLiteral("%1\nfrom: %2\nmade: %3")
                                                     .arg(parts, markdown, displayMarkdown(markdown))));
        }
    }

    // The work per character stays the same from 10 KB to 1 MB of unmatched openers.
    void linearCost()
    {
        qsizetype smallWork = 0;
        qsizetype largeWork = 0;
        const QString small = adversarial(10'000);
        const QString large = adversarial(1'000'000);
        displayMarkdown(small, &smallWork);
        QElapsedTimer clock;
        clock.start();
        displayMarkdown(large, &largeWork);
        qInfo("1 MB of unmatched openers: %lld ms, %lld characters examined", qint64(clock.elapsed()),
              qint64(largeWork));
        const double smallPerChar = double(smallWork) / double(small.size());
        const double largePerChar = double(largeWork) / double(large.size());
        QVERIFY2(smallPerChar < 8, qPrintable(QString::number(smallPerChar)));
        QVERIFY2(largePerChar < 1.5 * smallPerChar,
                 qPrintable(QStringLiteral("%1 vs %2 per character").arg(largePerChar).arg(smallPerChar)));
    }
};

QTEST_MAIN(TestDisplayMarkdown)
#include "tst_display_markdown.moc"
