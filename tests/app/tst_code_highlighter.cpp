// CodeHighlighter: real highlighting through kate-syntax-highlighter, plain
// fallbacks that never wait (missing tool, unknown language, failing or hung
// tool), the HTML whitelist against hostile markup, and the language table.
#include <QtTest>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextDocument>

#include "code_highlighter.h"
#include "highlight_html.h"

using ponder::app::CodeHighlighter;

namespace {

constexpr auto kPython = "def area(r):\n\treturn 3.14 * r ** 2  # a < b && \"c\"\n";

// Every tag in `html` is one the whitelist allows.
bool onlyAllowedTags(const QString& html)
{
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    static const QRegularExpression allowed(
        QStringLiteral("^(<pre>|</pre>|</span>|<span style=\"([a-z-]+:[#0-9a-z-]+;)*\">)$"));
    for (const QRegularExpressionMatch& match : tag.globalMatch(html))
        if (!allowed.match(match.captured()).hasMatch())
            return false;
    return true;
}

QString renderedText(const QString& html)
{
    QTextDocument document;
    document.setHtml(html);
    return document.toPlainText();
}

} // namespace

class TestCodeHighlighter : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    bool m_haveTool = false;

    // A fake tool that is a shell script.
    QString script(const QString& name, const QByteArray& body)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write("#!/bin/sh\n" + body + "\n");
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        return file.fileName();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_haveTool = !QStandardPaths::findExecutable(QStringLiteral("kate-syntax-highlighter")).isEmpty();
    }

    void realHighlighting()
    {
        if (!m_haveTool)
            QSKIP("kate-syntax-highlighter is not installed (Debian: libkf5syntaxhighlighting-tools)");
        CodeHighlighter highlighter;
        QVERIFY(highlighter.available());
        QSignalSpy spy(&highlighter, &CodeHighlighter::highlighted);
        const QString code = QString::fromUtf8(kPython);

        const QString first = highlighter.request(code, QStringLiteral("py"), false);
        QCOMPARE(first, ponder::app::plainCodeHtml(code));  // plain until the run is back
        const QString key = highlighter.key(code, QStringLiteral("py"), false);
        QVERIFY(highlighter.isPending(key));
        QCOMPARE(highlighter.pendingCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 20000);
        QCOMPARE(spy[0][0].toString(), key);
        const QString html = spy[0][1].toString();
        QVERIFY2(html.contains(QStringLiteral("<span style=\"color:#")), qPrintable(html));
        QVERIFY2(onlyAllowedTags(html), qPrintable(html));
        QCOMPARE(renderedText(html), renderedText(first));  // the same characters, tab and '<' included
        QCOMPARE(renderedText(html), code.chopped(1));

        // Cached: answered at once, nothing started.
        QCOMPARE(highlighter.request(code, QStringLiteral("py"), false), html);
        QCOMPARE(highlighter.pendingCount(), 0);

        // The dark theme is another entry with other colours.
        highlighter.request(code, QStringLiteral("python"), true);
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 2, 20000);
        QVERIFY(spy[1][1].toString() != html);
        QVERIFY(spy[1][1].toString().contains(QStringLiteral("<span style=\"color:#")));

        // The tool's syntax list has been read, and names resolve against it.
        QTRY_VERIFY_WITH_TIMEOUT(!highlighter.syntaxes().isEmpty(), 20000);
        QCOMPARE(highlighter.syntaxFor(QStringLiteral("HASKELL")), QStringLiteral("Haskell"));
        QCOMPARE(highlighter.syntaxFor(QStringLiteral("c++")), QStringLiteral("C++"));
    }

    // Every name in our table leads to a syntax the tool has.
    void aliasesExist()
    {
        if (!m_haveTool)
            QSKIP("kate-syntax-highlighter is not installed");
        QProcess list;
        list.start(QStringLiteral("kate-syntax-highlighter"), {QStringLiteral("--list")});
        QVERIFY(list.waitForFinished(20000));
        const QStringList syntaxes = QString::fromUtf8(list.readAllStandardOutput()).split(u'\n');
        for (const QString& alias : ponder::app::kdeSyntaxAliasNames())
            QVERIFY2(syntaxes.contains(ponder::app::kdeSyntaxForAlias(alias)), qPrintable(alias));
    }

    void unknownLanguageIsPlainAtOnce()
    {
        if (!m_haveTool)
            QSKIP("kate-syntax-highlighter is not installed");
        CodeHighlighter highlighter;
        highlighter.request(QStringLiteral("x = 1"), QStringLiteral("python"), false);  // reads the list
        QTRY_VERIFY_WITH_TIMEOUT(!highlighter.syntaxes().isEmpty(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(highlighter.pendingCount(), 0, 20000);
        QSignalSpy spy(&highlighter, &CodeHighlighter::highlighted);
        for (const QString& language : {QStringLiteral("no-such-language"), QStringLiteral("text"), QString()}) {
            const QString html = highlighter.request(QStringLiteral("a < b"), language, false);
            QCOMPARE(html, QStringLiteral("<pre>a &lt; b</pre>"));
            QCOMPARE(highlighter.pendingCount(), 0);
        }
        QTest::qWait(50);
        QCOMPARE(spy.size(), 0);
    }

    void missingToolIsPlainAtOnce()
    {
        CodeHighlighter highlighter;
        QSignalSpy spy(&highlighter, &CodeHighlighter::highlighted);
        highlighter.setToolPath(m_dir.filePath(QStringLiteral("no-such-dir/kate-syntax-highlighter")));
        QVERIFY(!highlighter.available());
        QCOMPARE(highlighter.request(QStringLiteral("print(1)"), QStringLiteral("python"), true),
                 QStringLiteral("<pre>print(1)</pre>"));
        QCOMPARE(highlighter.pendingCount(), 0);
        QTest::qWait(50);
        QCOMPARE(spy.size(), 0);
        highlighter.setToolPath(QStringLiteral("no-such-highlighter-in-path"));
        QVERIFY(!highlighter.available());
    }

    void failingToolFallsBack_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("timeoutMs");
        QTest::newRow("exits with an error") << QByteArray("echo 'Unknown syntax.'; exit 1") << 5000;
        QTest::newRow("prints no <pre>") << QByteArray("echo '<html>nothing</html>'") << 5000;
        QTest::newRow("hangs") << QByteArray("exec sleep 30") << 200;
        QTest::newRow("hostile page")
            << QByteArray("echo '<body style=\"color:#abc\"><pre><img src=\"http://x/y\"><script>alert(1)</script>"
                          "<span style=\"color:#123456;background:url(http://x)\">ok</span></pre>'")
            << 5000;
    }

    void failingToolFallsBack()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, timeoutMs);
        CodeHighlighter highlighter;
        highlighter.setToolPath(script(QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression(QStringLiteral("[^a-z]")), QStringLiteral("_")), body));
        QVERIFY(highlighter.available());
        highlighter.setTimeoutMs(timeoutMs);
        QSignalSpy spy(&highlighter, &CodeHighlighter::highlighted);
        const QString plain = highlighter.request(QStringLiteral("x < 1"), QStringLiteral("python"), false);
        QCOMPARE(plain, QStringLiteral("<pre>x &lt; 1</pre>"));
        QTRY_COMPARE_WITH_TIMEOUT(spy.size(), 1, 20000);
        const QString html = spy[0][1].toString();
        QVERIFY2(onlyAllowedTags(html), qPrintable(html));
        QVERIFY(!html.contains(QStringLiteral("http")));
        if (QTest::currentDataTag() == QByteArray("hostile page"))
            QCOMPARE(html, QStringLiteral("<pre><span style=\"color:#abc;\">alert(1)<span style=\"color:#123456;\">ok"
                                          "</span></span></pre>"));
        else
            QCOMPARE(html, plain);
        QCOMPARE(highlighter.pendingCount(), 0);
        QCOMPARE(highlighter.request(QStringLiteral("x < 1"), QStringLiteral("python"), false), html);  // cached
        QCOMPARE(highlighter.pendingCount(), 0);
    }

    // Runs are limited; the oldest queued requests give way to newer ones.
    void queueIsBounded()
    {
        CodeHighlighter highlighter;
        highlighter.setToolPath(script(QStringLiteral("slow"), "exec sleep 30"));
        highlighter.setTimeoutMs(60000);
        for (int i = 0; i < 80; ++i)
            highlighter.request(QStringLiteral("x = %1").arg(i), QStringLiteral("python"), false);
        QCOMPARE(highlighter.pendingCount(), CodeHighlighter::kMaxRunning + CodeHighlighter::kMaxQueued);
        QVERIFY(highlighter.isPending(highlighter.key(QStringLiteral("x = 0"), QStringLiteral("python"), false)));
        QVERIFY(highlighter.isPending(highlighter.key(QStringLiteral("x = 79"), QStringLiteral("python"), false)));
        QVERIFY(!highlighter.isPending(highlighter.key(QStringLiteral("x = 2"), QStringLiteral("python"), false)));
        // Asking again for the same block starts nothing new.
        highlighter.request(QStringLiteral("x = 79"), QStringLiteral("python"), false);
        QCOMPARE(highlighter.pendingCount(), CodeHighlighter::kMaxRunning + CodeHighlighter::kMaxQueued);
    }

    void sanitize_data()
    {
        QTest::addColumn<QString>("page");
        QTest::addColumn<QString>("expected");
        QTest::newRow("tool output")
            << "<!DOCTYPE html>\n<html><head><title>x</title></head><body style=\"background-color:#ffffff;"
               "color:#1f1c1b\"><pre>\n<span style=\"font-weight:bold;\">def</span> f(x):\n    <span "
               "style=\"color:#bf0303;\">&quot;a&amp;b&quot;</span>\n</pre></body></html>"
            << "<pre><span style=\"color:#1f1c1b;\"><span style=\"font-weight:bold;\">def</span> f(x):\n    <span "
               "style=\"color:#bf0303;\">&quot;a&amp;b&quot;</span></span></pre>";
        QTest::newRow("scripts, images, links")
            << "<pre><img src=\"http://evil/x.png\"><script>alert(1)</script><a href=\"https://x\">b</a>"
               "<link rel=stylesheet href=//x></pre>"
            << "<pre><span style=\"\">alert(1)b</span></pre>";
        QTest::newRow("styles filtered")
            << "<pre><span style=\"color:red;font-weight:bold;background:url(http://x);"
               "background-color:#00ff0080;font-style:italic;position:fixed\" onclick=\"x()\">a</span></pre>"
            << "<pre><span style=\"\"><span style=\"font-weight:bold;background-color:#00ff0080;"
               "font-style:italic;\">a</span></span></pre>";
        QTest::newRow("entities re-escaped")
            << "<pre>&lt;b&gt; &amp;amp; &#60; &#x3c; &bogus; &#0; & &#xD800;</pre>"
            << "<pre><span style=\"\">&lt;b&gt; &amp;amp; &lt; &lt; &amp;bogus; &amp;#0; &amp; "
               "&amp;#xD800;</span></pre>";
        QTest::newRow("unbalanced spans") << "<pre></span><span style=\"color:#fff\">x<span>y</pre>"
                                          << "<pre><span style=\"\"><span style=\"color:#fff;\">x<span "
                                             "style=\"\">y</span></span></span></pre>";
        QTest::newRow("cut-off tag") << "<pre>a<span style=\"color:#fff\"</pre>"
                                     << "<pre><span style=\"\">a</span></pre>";
        QTest::newRow("span-like tag") << "<pre><spanner>a</spanner></pre>" << "<pre><span style=\"\">a</span></pre>";
        QTest::newRow("no pre") << "<html>Unknown syntax.</html>" << "";
    }

    void sanitize()
    {
        QFETCH(QString, page);
        QFETCH(QString, expected);
        const QString html = ponder::app::sanitizeHighlightedHtml(page);
        QCOMPARE(html, expected);
        QVERIFY2(onlyAllowedTags(html), qPrintable(html));
    }

    void plainHtml()
    {
        QCOMPARE(ponder::app::plainCodeHtml(u"a < b && \"c\"\n"), QStringLiteral("<pre>a &lt; b &amp;&amp; &quot;c&quot;</pre>"));
        QCOMPARE(renderedText(ponder::app::plainCodeHtml(u"<img src=x>\n\tdone")), QStringLiteral("<img src=x>\n\tdone"));
    }

    void languageNames_data()
    {
        QTest::addColumn<QString>("fence");
        QTest::addColumn<QString>("syntax");
        QTest::newRow("python") << "python" << "Python";
        QTest::newRow("py") << "py" << "Python";
        QTest::newRow("C++") << "C++" << "C++";
        QTest::newRow("cpp") << "cpp" << "C++";
        QTest::newRow("js") << "js" << "JavaScript";
        QTest::newRow("rust") << "rust" << "Rust";
        QTest::newRow("sh") << "sh" << "Bash";
        QTest::newRow("bash") << "Bash" << "Bash";
        QTest::newRow("json") << "json" << "JSON";
        QTest::newRow("text") << "text" << "";
        QTest::newRow("none") << "" << "";
        QTest::newRow("option-like") << "-o/tmp/x" << "";
        QTest::newRow("markup") << "<script>" << "";
    }

    void languageNames()
    {
        QFETCH(QString, fence);
        QFETCH(QString, syntax);
        CodeHighlighter highlighter;
        QCOMPARE(highlighter.syntaxFor(fence), syntax);
    }
};

QTEST_MAIN(TestCodeHighlighter)
#include "tst_code_highlighter.moc"
