// MessageParser, BlockSplitter and the QML model over them.
// Each input is parsed whole, then again cut at every position and fed one
// character at a time: the result must not depend on the cuts, and while it
// streams no shown text may be taken back (a half tag or half fence shown and
// then removed would break that).
#include <QtTest>

#include <QQmlComponent>
#include <QQmlEngine>
#include <QSignalSpy>

#include "app_setup.h"
#include "message_content.h"
#include "message_parser.h"


using namespace ponder::app;
using Blocks = QList<MessageBlock>;

Q_DECLARE_METATYPE(ponder::app::MessageBlock)

namespace ponder::app {
char* toString(const MessageBlock& block)
{
    const QString kind = block.kind == MessageBlock::Kind::Prose ? QStringLiteral("prose") : QStringLiteral("code");
    return QTest::toString(QStringLiteral("%1[%2]%3 \"%4\"")
                               .arg(kind, block.language, block.closed ? QString() : QStringLiteral(" open"),
                                    QString(block.text).replace(u'\n', QStringLiteral("\\n"))));
}
} // namespace ponder::app

namespace {

MessageBlock prose(const QString& text)
{
    return {MessageBlock::Kind::Prose, text, QString(), true};
}

MessageBlock code(const QString& language, const QString& text)
{
    return {MessageBlock::Kind::Code, text, language, true};
}

// Everything a parser shows, for comparing two parses.
struct Parsed {
    QString reasoning;
    bool hasReasoning = false;
    bool reasoningClosed = false;
    QString answer;
    Blocks blocks;
    bool operator==(const Parsed&) const = default;
};

QString describe(const Parsed& p)
{
    QStringList blocks;
    for (const MessageBlock& b : p.blocks) {
        char* text = toString(b);
        blocks << QString::fromUtf8(text);
        delete[] text;
    }
    return QStringLiteral("reasoning%1%2 \"%3\" answer \"%4\" blocks {%5}")
        .arg(p.hasReasoning ? QString() : QStringLiteral("(none)"),
             p.reasoningClosed ? QStringLiteral("(closed)") : QStringLiteral("(open)"), p.reasoning, p.answer,
             blocks.join(QStringLiteral(", ")))
        .replace(u'\n', QStringLiteral("\\n"))
        .replace(u'\r', QStringLiteral("\\r"));
}

Parsed snapshot(const MessageParser& parser)
{
    return {parser.reasoning(), parser.hasReasoning(), parser.reasoningClosed(), parser.answer(), parser.blocks()};
}

Parsed parseChunks(const QStringList& chunks, bool expectReasoning, bool finish = true)
{
    MessageParser parser(expectReasoning);
    for (const QString& chunk : chunks)
        parser.append(chunk);
    if (finish)
        parser.finish();
    return snapshot(parser);
}

// Inputs for the whole-text and every-split tests: (name, output, expectReasoning,
// reasoning, reasoning closed, answer blocks).
void addCases()
{
    QTest::addColumn<QString>("output");
    QTest::addColumn<bool>("expectReasoning");
    QTest::addColumn<QString>("reasoning");
    QTest::addColumn<bool>("closed");
    QTest::addColumn<Blocks>("blocks");

    QTest::newRow("R1, only the closing tag")
        << "Let me add.\n2 + 2 = 4.\n</think>\n\nThe answer is **4**." << true << "Let me add.\n2 + 2 = 4." << true
        << Blocks{prose("The answer is **4**.")};
    QTest::newRow("opening tag dropped") << "<think>\nHmm.\n</think>\nDone." << true << "Hmm." << true
                                         << Blocks{prose("Done.")};
    QTest::newRow("white space before the opening tag") << " \n<think>x</think>y" << true << "x" << true
                                                        << Blocks{prose("y")};
    QTest::newRow("empty thought") << "<think>\n\n</think>\n\nHi" << true << "" << true << Blocks{prose("Hi")};
    QTest::newRow("empty thought, closing tag only") << "</think>Hi" << true << "" << true << Blocks{prose("Hi")};
    QTest::newRow("everything empty") << "</think>" << true << "" << true << Blocks{};
    QTest::newRow("unclosed reasoning") << "Still thinking\nabout it  \n" << true << "Still thinking\nabout it"
                                        << false << Blocks{};
    QTest::newRow("unclosed, ends in half a tag") << "thinking </thi" << true << "thinking </thi" << false
                                                  << Blocks{};
    QTest::newRow("angle brackets that are no tag") << "a < b and </b> c</think>x <thin" << true
                                                    << "a < b and </b> c" << true << Blocks{prose("x <thin")};
    QTest::newRow("second opening tag is text") << "<think>a <think> b</think>c" << true << "a <think> b" << true
                                                << Blocks{prose("c")};
    QTest::newRow("direct answer") << "Hello **there**\n" << false << "" << false
                                   << Blocks{prose("Hello **there**")};
    QTest::newRow("direct answer with a thought") << "<think>a</think>b" << false << "a" << true
                                                  << Blocks{prose("b")};
    QTest::newRow("direct answer, closing tag is text") << "a</think>b" << false << "" << false
                                                        << Blocks{prose("a</think>b")};
    QTest::newRow("direct answer like a tag") << "<thin air" << false << "" << false << Blocks{prose("<thin air")};
    QTest::newRow("prose, code, prose")
        << "</think>Intro:\n```python\nprint(1)\n```\nOutro" << true << "" << true
        << Blocks{prose("Intro:"), code("python", "print(1)"), prose("Outro")};
    QTest::newRow("tilde fence") << "</think>~~~rust\nfn main() {}\n~~~\n" << true << "" << true
                                 << Blocks{code("rust", "fn main() {}")};
    QTest::newRow("tilde info may hold backticks") << "</think>~~~ js `x`\ncode\n~~~" << true << "" << true
                                                   << Blocks{code("js", "code")};
    QTest::newRow("backtick info may not") << "</think>``` a`b\ntext" << true << "" << true
                                           << Blocks{prose("``` a`b\ntext")};
    QTest::newRow("nested backticks")
        << "</think>````markdown\n```python\nx\n```\n````\nafter" << true << "" << true
        << Blocks{code("markdown", "```python\nx\n```"), prose("after")};
    QTest::newRow("shorter fence does not close") << "</think>````\na\n```\nb\n````" << true << "" << true
                                                  << Blocks{code("", "a\n```\nb")};
    QTest::newRow("other character does not close") << "</think>```\na\n~~~\n```" << true << "" << true
                                                    << Blocks{code("", "a\n~~~")};
    QTest::newRow("indented fence") << "</think>  ```c\n  int x;\n   y\nz\n  ```" << true << "" << true
                                    << Blocks{code("c", "int x;\n y\nz")};
    QTest::newRow("four spaces is no fence") << "</think>    ```\ncode" << true << "" << true
                                             << Blocks{prose("    ```\ncode")};
    QTest::newRow("unclosed fence") << "</think>```py\nx = 1" << true << "" << true << Blocks{code("py", "x = 1")};
    QTest::newRow("fence at the very end") << "</think>See:\n```py" << true << "" << true
                                           << Blocks{prose("See:"), code("py", "")};
    QTest::newRow("empty code block") << "</think>```\n```" << true << "" << true << Blocks{code("", "")};
    QTest::newRow("blank lines in code") << "</think>```\n\na\n\n```" << true << "" << true
                                         << Blocks{code("", "\na\n")};
    QTest::newRow("closing fence with trailing spaces") << "</think>```\na\n```  \t\nb" << true << "" << true
                                                        << Blocks{code("", "a"), prose("b")};
    QTest::newRow("text after a fence does not close") << "</think>```\na\n``` x\n```" << true << "" << true
                                                       << Blocks{code("", "a\n``` x")};
    QTest::newRow("inline code at line start") << "</think>`x` is ``y``\n```sh\nls\n```" << true << "" << true
                                               << Blocks{prose("`x` is ``y``"), code("sh", "ls")};
    QTest::newRow("language tags") << "</think>```c++\na\n```\n``` Python {linenos=true}\nb\n```" << true << ""
                                   << true << Blocks{code("c++", "a"), code("Python", "b")};
    QTest::newRow("CRLF") << "Reasoning\r\n</think>\r\n\r\n```js\r\nx\r\n```\r\nEnd\r\n" << true << "Reasoning"
                          << true << Blocks{code("js", "x"), prose("End")};
    QTest::newRow("lone CR") << "a\rb</think>c\r\rd" << true << "a\nb" << true << Blocks{prose("c\n\nd")};
    QTest::newRow("blank lines in prose") << "</think>a\n\n\nb\n\n" << true << "" << true
                                          << Blocks{prose("a\n\n\nb")};
    QTest::newRow("indentation of the first line kept") << "</think>\n\n  indented\n" << true << "" << true
                                                        << Blocks{prose("  indented")};
    QTest::newRow("non-ASCII") << "Überlegung – 思考</think>Antwort: π ≈ 3.14" << true << "Überlegung – 思考"
                               << true << Blocks{prose("Antwort: π ≈ 3.14")};
}

} // namespace

class TestMessageParser : public QObject {
    Q_OBJECT

private slots:
    void wholeText_data() { addCases(); }
    void wholeText()
    {
        QFETCH(QString, output);
        QFETCH(bool, expectReasoning);
        QFETCH(QString, reasoning);
        QFETCH(bool, closed);
        QFETCH(Blocks, blocks);
        const Parsed parsed = parseChunks({output}, expectReasoning);
        QCOMPARE(parsed.reasoning, reasoning);
        QCOMPARE(parsed.reasoningClosed, closed);
        QCOMPARE(parsed.blocks, blocks);
        // A stored answer splits into the same blocks on its own.
        QCOMPARE(BlockSplitter::split(parsed.answer), blocks);
    }

    // Two chunks cut at every position, finished or still streaming, give
    // what the whole text gives.
    void everySplit_data() { addCases(); }
    void everySplit()
    {
        QFETCH(QString, output);
        QFETCH(bool, expectReasoning);
        for (const bool finish : {false, true}) {
            const Parsed whole = parseChunks({output}, expectReasoning, finish);
            for (qsizetype cut = 0; cut <= output.size(); ++cut) {
                const Parsed split = parseChunks({output.left(cut), output.mid(cut)}, expectReasoning, finish);
                QVERIFY2(split == whole, qPrintable(QStringLiteral("cut at %1%2\n got: %3\nwant: %4")
                                                        .arg(cut)
                                                        .arg(finish ? QString() : QStringLiteral(" (streaming)"), describe(split),
                                                             describe(whole))));
            }
        }
    }

    // One character at a time: after each, the state equals a parse of the
    // prefix, nothing shown is retracted (so no half tag or half fence was
    // ever shown), only the last block changes, and the deltas add up to the
    // final texts.
    void characterByCharacter_data() { addCases(); }
    void characterByCharacter()
    {
        QFETCH(QString, output);
        QFETCH(bool, expectReasoning);
        MessageParser parser(expectReasoning);
        Parsed previous = snapshot(parser);
        QString reasoningDeltas;
        QString answerDeltas;
        for (qsizetype i = 0; i < output.size(); ++i) {
            const MessageParser::Delta delta = parser.append(QStringView(output).mid(i, 1));
            reasoningDeltas += delta.reasoning;
            answerDeltas += delta.answer;
            const Parsed now = snapshot(parser);
            const QString where = QStringLiteral("after %1 characters: %2").arg(i + 1).arg(describe(now));
            QVERIFY2(now == parseChunks({output.left(i + 1)}, expectReasoning, false), qPrintable(where));
            QVERIFY2(now.reasoning.startsWith(previous.reasoning), qPrintable(where));
            QVERIFY2(now.answer.startsWith(previous.answer), qPrintable(where));
            QVERIFY2(now.blocks.size() >= previous.blocks.size(), qPrintable(where));
            for (qsizetype b = 0; b + 1 < previous.blocks.size(); ++b)
                QVERIFY2(now.blocks[b] == previous.blocks[b], qPrintable(where));
            if (!previous.blocks.isEmpty())
                QVERIFY2(now.blocks[previous.blocks.size() - 1].text.startsWith(previous.blocks.last().text),
                         qPrintable(where));
            if (now.blocks != previous.blocks)
                QVERIFY2(delta.firstChangedBlock >= 0 &&
                             delta.firstChangedBlock >= qMax(qsizetype(0), previous.blocks.size() - 1),
                         qPrintable(where));
            else
                QVERIFY2(delta.firstChangedBlock == -1 || delta.firstChangedBlock == now.blocks.size() - 1,
                         qPrintable(where));
            QVERIFY2(!now.reasoning.contains(u'\r') && !now.answer.contains(u'\r'), qPrintable(where));
            previous = now;
        }
        const MessageParser::Delta last = parser.finish();
        QCOMPARE(reasoningDeltas + last.reasoning, parser.reasoning());
        QCOMPARE(answerDeltas + last.answer, parser.answer());
        QCOMPARE(snapshot(parser), parseChunks({output}, expectReasoning));
    }

    void streamingState()
    {
        MessageParser parser(true);
        QVERIFY(parser.hasReasoning());
        QVERIFY(parser.inReasoning());
        parser.append(u"I think\n</th");
        QCOMPARE(parser.reasoning(), QStringLiteral("I think"));
        QVERIFY(parser.inReasoning());
        const MessageParser::Delta closing = parser.append(u"ink>\n\nAnswer:\n```py\nx = 1\n");
        QVERIFY(closing.reasoningClosed);
        QVERIFY(!parser.inReasoning());
        QCOMPARE(parser.blocks().size(), 2);
        QVERIFY(parser.blocks()[0].closed);
        QVERIFY(!parser.blocks()[1].closed);  // the fence is still open
        QCOMPARE(parser.blocks()[1].text, QStringLiteral("x = 1"));
        parser.append(u"``");  // maybe the closing fence: held back
        QCOMPARE(parser.blocks()[1].text, QStringLiteral("x = 1"));
        parser.append(u"`\n");
        QVERIFY(parser.blocks()[1].closed);

        MessageParser direct(false);
        QVERIFY(!direct.inReasoning());
        direct.append(u" <th");  // may still open a thought
        QVERIFY(direct.answer().isEmpty());
        direct.append(u"ese");
        QVERIFY(!direct.hasReasoning());
        QCOMPARE(direct.answer(), QStringLiteral(" <these"));

        MessageParser stopped(true);
        stopped.append(u"half a thought");
        stopped.finish();
        QVERIFY(stopped.hasReasoning());
        QVERIFY(!stopped.reasoningClosed());
        QVERIFY(!stopped.inReasoning());
        QVERIFY(stopped.append(u"more").reasoning.isEmpty());  // finished: ignored

        // inAnswer: from where the output can only be answer (ChatController
        // stops feeding its reasoning tracker there).
        MessageParser thinking(true);
        QVERIFY(!thinking.inAnswer());
        thinking.append(u"a thought </thi");
        QVERIFY(!thinking.inAnswer());
        thinking.append(u"nk>");
        QVERIFY(thinking.inAnswer());
        MessageParser answering(false);
        answering.append(u"  <th");  // may still open a thought
        QVERIFY(!answering.inAnswer());
        answering.append(u"e answer");
        QVERIFY(answering.inAnswer());
    }

    // A growing string that someone else also holds is copied whole by each
    // append, and the parser counts those copies: streaming through the
    // content model makes none (its Markdown streams keep no copy of a
    // block's text), a caller that keeps the answer or the list of blocks
    // makes the next append copy what it keeps.
    void growsWithoutCopies()
    {
        MessageContent content;
        content.append(QStringLiteral("<think>A thought"));
        for (int i = 0; i < 50; ++i)
            content.append(QStringLiteral(" and more"));
        content.append(QStringLiteral("</think>An answer $x$"));
        for (int i = 0; i < 200; ++i)
            content.append(QStringLiteral(" that goes on\n\nand on"));
        QVERIFY(content.rowCount() > 100);
        QCOMPARE(content.parser().copiedOnAppend(), 0);

        const QString kept = content.answer();
        content.append(QStringLiteral(" once more"));
        QCOMPARE(content.parser().copiedOnAppend(), kept.size());

        const QList<MessageBlock> blocks = content.parser().blocks();
        content.append(QStringLiteral(" and again"));
        QCOMPARE(content.parser().copiedOnAppend(), kept.size() + blocks.last().text.size());
    }

    // The list model announces new rows and changes to the last one only.
    void contentModel()
    {
        MessageContent content;
        QSignalSpy inserted(&content, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&content, &QAbstractItemModel::dataChanged);
        QSignalSpy reasoning(&content, &MessageContent::reasoningChanged);
        QSignalSpy state(&content, &MessageContent::stateChanged);

        content.append(QStringLiteral("Thinking $x$"));
        QCOMPARE(content.reasoning(), QStringLiteral("Thinking $x$"));
        QCOMPARE(reasoning.size(), 1);
        QVERIFY(content.inReasoning());
        QCOMPARE(content.rowCount(), 0);

        content.append(QStringLiteral("</think>Try $x^2$:\n```py\nprint(1)"));
        QVERIFY(!content.inReasoning());
        QVERIFY(content.reasoningClosed());
        QVERIFY(state.size() >= 1);
        QCOMPARE(content.rowCount(), 2);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted[0][1].toInt(), 0);
        QCOMPARE(inserted[0][2].toInt(), 1);
        const QModelIndex prose = content.index(0);
        const QModelIndex code = content.index(1);
        QCOMPARE(content.data(prose, MessageContent::KindRole).toString(), QStringLiteral("paragraph"));
        QCOMPARE(content.data(prose, MessageContent::TextRole).toString(), QStringLiteral("Try x^2:"));
        // The formula as the math helper gives it (its source until rendered), the rest escaped.
        const QString html = content.data(prose, MessageContent::HtmlRole).toString();
        QVERIFY2(html.startsWith(QStringLiteral("Try ")) && html.contains(QStringLiteral("x^2")) && html.endsWith(u':'),
                 qPrintable(html));
        QCOMPARE(content.data(code, MessageContent::KindRole).toString(), QStringLiteral("code"));
        QCOMPARE(content.data(code, MessageContent::LanguageRole).toString(), QStringLiteral("py"));
        QCOMPARE(content.data(code, MessageContent::ClosedRole).toBool(), false);

        changed.clear();
        content.append(QStringLiteral("\nprint(2)"));  // only the code row changes
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][0].value<QModelIndex>().row(), 1);
        QCOMPARE(changed[0][1].value<QModelIndex>().row(), 1);

        content.finish();
        QVERIFY(content.finished());
        QCOMPARE(content.data(code, MessageContent::ClosedRole).toBool(), true);
        QCOMPARE(content.data(code, MessageContent::TextRole).toString(), QStringLiteral("print(1)\nprint(2)"));
        QVERIFY(!content.data(content.index(5), MessageContent::TextRole).isValid());

        MessageContent stored;
        stored.load(content.reasoning(), true, content.answer());
        QCOMPARE(stored.rowCount(), 2);
        QCOMPARE(stored.parser().blocks(), content.parser().blocks());
        QVERIFY(stored.finished());
        stored.clear();
        QCOMPARE(stored.rowCount(), 0);
        QVERIFY(stored.reasoning().isEmpty());
        QVERIFY(stored.roleNames().values().contains("html"));
    }

    // The chat's C++ types are in their features' QML modules and usable from QML.
    void qmlTypes()
    {
        QQmlEngine engine;
        setUpEngine(engine);
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport Ponder.Chat.Text\nimport Ponder.Conversations\nQtObject {\n"
                          "  property MessageContent content: MessageContent { expectReasoning: false }\n"
                          "  property CodeHighlighter highlighter: CodeHighlighter { timeoutMs: 1000 }\n"
                          "  property ConversationStore store: ConversationStore { flushIntervalMs: 250 }\n"
                          "  function run() { content.append('<think>a</think>b'); content.finish();\n"
                          "    return content.reasoning + '|' + content.answer + '|' + content.rowCount() }\n"
                          "}",
                          QUrl(QStringLiteral("qrc:/qml_types.qml")));
        std::unique_ptr<QObject> root(component.create());
        QVERIFY2(root, qPrintable(component.errorString()));
        QVariant result;
        QVERIFY(QMetaObject::invokeMethod(root.get(), "run", Q_RETURN_ARG(QVariant, result)));
        QCOMPARE(result.toString(), QStringLiteral("a|b|1"));
        auto* store = root->property("store").value<QObject*>();
        QVERIFY(store);
        QCOMPARE(store->property("flushIntervalMs").toInt(), 250);
        QCOMPARE(root->property("highlighter").value<QObject*>()->property("timeoutMs").toInt(), 1000);
    }
};

QTEST_MAIN(TestMessageParser)
#include "tst_message_parser.moc"
