// The Markdown export of a conversation and the plain text of an answer.
// Hostile text (a `</details>`, a `<script>`, unclosed fences and comments
// in the reasoning or the answer) must leave the file's structure as
// written: every file is read back with md4c, GitHub's dialect, and its
// top-level blocks checked, not only its text.
#include <QtTest>

#include <QRegularExpression>
#include <QTemporaryDir>

#include <md4c.h>

#include "conversation_export.h"
#include "conversation_store.h"
#include "markdown_plain_text.h"

using namespace ponder;
using app::MessageRole;
using app::MessageStatus;
using app::ReasoningCut;
using app::StoredMessage;

Q_DECLARE_METATYPE(ponder::app::StoredMessage)
Q_DECLARE_METATYPE(QList<ponder::app::StoredMessage>)

namespace {

// The top-level blocks of a Markdown file as md4c reads it (GitHub's
// dialect): "H1 text", "HR", "P text", "HTML text", "CODE text", "LIST",
// "QUOTE", "TABLE"; and how much raw HTML is inside any other block.
struct Outline {
    QStringList blocks;
    int nestedHtml = 0;  // raw HTML text that is not a top-level HTML block

    static Outline of(const QString& markdown)
    {
        Outline outline;
        State state{&outline};
        MD_PARSER parser{};
        parser.flags = MD_DIALECT_GITHUB;
        parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* data) {
            auto* s = static_cast<State*>(data);
            if (s->depth++ != 1)
                return 0;
            s->topType = type;
            switch (type) {
            case MD_BLOCK_H:
                s->outline->blocks << QStringLiteral("H%1 ").arg(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
                break;
            case MD_BLOCK_HR: s->outline->blocks << QStringLiteral("HR"); break;
            case MD_BLOCK_P: s->outline->blocks << QStringLiteral("P "); break;
            case MD_BLOCK_HTML: s->outline->blocks << QStringLiteral("HTML "); break;
            case MD_BLOCK_CODE: s->outline->blocks << QStringLiteral("CODE "); break;
            case MD_BLOCK_QUOTE: s->outline->blocks << QStringLiteral("QUOTE "); break;
            case MD_BLOCK_TABLE: s->outline->blocks << QStringLiteral("TABLE "); break;
            default: s->outline->blocks << QStringLiteral("LIST "); break;
            }
            return 0;
        };
        parser.leave_block = [](MD_BLOCKTYPE, void*, void* data) {
            --static_cast<State*>(data)->depth;
            return 0;
        };
        parser.enter_span = [](MD_SPANTYPE, void*, void*) { return 0; };
        parser.leave_span = [](MD_SPANTYPE, void*, void*) { return 0; };
        parser.text = [](MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* data) {
            auto* s = static_cast<State*>(data);
            if (type == MD_TEXT_HTML && !(s->depth == 2 && s->topType == MD_BLOCK_HTML))
                ++s->outline->nestedHtml;
            if (!s->outline->blocks.isEmpty())
                s->outline->blocks.last() += QString::fromUtf8(text, qsizetype(size));
            return 0;
        };
        const QByteArray utf8 = markdown.toUtf8();
        md_parse(utf8.constData(), MD_SIZE(utf8.size()), &parser, &state);
        for (QString& block : outline.blocks)
            block = block.trimmed();
        return outline;
    }

    // The blocks that make the file's structure: headings, rules, the role
    // lines and the HTML blocks, with the text between them left out.
    QStringList skeleton(const QStringList& roles) const
    {
        QStringList skeleton;
        for (const QString& block : blocks)
            if (block.startsWith(u'H') || (block.startsWith(QStringLiteral("P ")) && roles.contains(block.mid(2))))
                skeleton << block;
        return skeleton;
    }

private:
    struct State {
        Outline* outline;
        int depth = 0;
        MD_BLOCKTYPE topType = MD_BLOCK_DOC;
    };
};

StoredMessage user(const QString& text)
{
    StoredMessage message;
    message.role = MessageRole::User;
    message.content = text;
    return message;
}

StoredMessage answer(const QString& reasoning, const QString& content, int reasoningTokens = 0,
                     ReasoningCut cut = ReasoningCut::None, MessageStatus status = MessageStatus::Complete)
{
    StoredMessage message;
    message.role = MessageRole::Assistant;
    message.reasoning = reasoning;
    message.content = content;
    message.status = status;
    message.stats.reasoningTokens = reasoningTokens;
    message.stats.reasoningCut = cut;
    return message;
}

const QString kModel = QStringLiteral("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf");
const QString kModelLine = QStringLiteral("P DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf");
const QString kDetails = QStringLiteral("HTML <details>");
const QString kDetailsEnd = QStringLiteral("HTML </details>");

} // namespace

class TestConversationExport : public QObject {
    Q_OBJECT

private slots:
    // A plain conversation, exactly.
    void plainConversation()
    {
        app::ConversationInfo info;
        info.title = QStringLiteral("What is 2+2?");
        info.model = kModel;
        const QString markdown = app::conversationMarkdown(
            info, {user(QStringLiteral("What is 2+2?")),
                   answer(QStringLiteral("Simple addition: 2 and 2.\n\nSo *four*."), QStringLiteral("2 + 2 = **4**."), 12)});
        QCOMPARE(markdown, QStringLiteral("# What is 2+2?\n\n"
                                          "---\n\n"
                                          "**You**\n\n"
                                          "What is 2+2?\n\n"
                                          "---\n\n"
                                          "**DeepSeek-R1-Distill-Qwen-7B-Q4\\_K\\_M.gguf**\n\n"
                                          "<details>\n<summary>Reasoning (12 tokens)</summary>\n\n"
                                          "Simple addition: 2 and 2.\n\nSo *four*.\n\n"
                                          "</details>\n\n"
                                          "2 + 2 = **4**.\n"));
        const Outline outline = Outline::of(markdown);
        QCOMPARE(outline.blocks,
                 QStringList({"H1 What is 2+2?", "HR", "P You", "P What is 2+2?", "HR", kModelLine,
                              "HTML <details>\n<summary>Reasoning (12 tokens)</summary>", "P Simple addition: 2 and 2.",
                              "P So four.", kDetailsEnd, "P 2 + 2 = 4."}));
        QCOMPARE(outline.nestedHtml, 0);
    }

    // Whatever the turns hold, the file keeps its structure: the title, a
    // rule and a role line per turn, one <details> pair per reasoning with
    // the reasoning's words between them, no other raw HTML anywhere.
    void structureHolds_data()
    {
        QTest::addColumn<QList<StoredMessage>>("branch");
        QTest::addColumn<QStringList>("skeleton");
        QTest::addColumn<QStringList>("insideDetails");  // words the reasoning's blocks hold
        QTest::addColumn<QStringList>("lines");          // lines the file holds as they are

        QTest::newRow("reasoning closes details, opens script, leaves a fence open")
            << QList<StoredMessage>{user(QStringLiteral("Hi")),
                                    answer(QStringLiteral("Let me think.\n\n</details>\n\n<script>alert(1)</script>\n\n"
                                                          "<details open>\n\n```python\nprint('unclosed')"),
                                           QStringLiteral("Hello!"), 40),
                                    user(QStringLiteral("Again")), answer(QString(), QStringLiteral("Fine."))}
            << QStringList{"H1 Title", "HR", "P You", "HR", kModelLine, kDetails + "\n<summary>Reasoning (40 tokens)</summary>",
                           kDetailsEnd, "HR", "P You", "HR", kModelLine}
            << QStringList{"Let me think.", "</details>", "<script>alert(1)</script>", "print('unclosed')"}
            << QStringList{"Hello!", "Fine."};
        QTest::newRow("answer with an open comment, details and a fence in a list")
            << QList<StoredMessage>{user(QStringLiteral("Hi")),
                                    answer(QString(),
                                           QStringLiteral("<details>\n\nSteps:\n\n1. First\n   ```sh\n   ls -l\n\n"
                                                          "<!-- never closed\n\nmore")),
                                    user(QStringLiteral("Next <textarea>")), answer(QString(), QStringLiteral("Done."))}
            << QStringList{"H1 Title", "HR", "P You", "HR", kModelLine, "HR", "P You", "HR", kModelLine}
            << QStringList{} << QStringList{"   ```sh", "   ls -l", "Done."};
        QTest::newRow("user text with tags")
            << QList<StoredMessage>{user(QStringLiteral("<b>hi</b>")), answer(QString(), QStringLiteral("ok"))}
            << QStringList{"H1 Title", "HR", "P You", "HR", kModelLine} << QStringList{} << QStringList{"ok"};
        QTest::newRow("reasoning of only a fence and a tilde fence")
            << QList<StoredMessage>{user(QStringLiteral("Hi")), answer(QStringLiteral("~~~\n</details>\n````"), QStringLiteral("ok"))}
            << QStringList{"H1 Title", "HR", "P You", "HR", kModelLine, kDetails + "\n<summary>Reasoning</summary>", kDetailsEnd}
            << QStringList{"CODE </details>"} << QStringList{"ok"};
        QTest::newRow("Chinese")
            << QList<StoredMessage>{user(QStringLiteral("二加二等於多少？")),
                                    answer(QStringLiteral("使用者問 2+2。答案是 4。"), QStringLiteral("答案是 **四**。"), 9)}
            << QStringList{"H1 Title", "HR", "P You", "HR", kModelLine, kDetails + "\n<summary>Reasoning (9 tokens)</summary>", kDetailsEnd}
            << QStringList{"使用者問 2+2。答案是 4。"} << QStringList{"二加二等於多少？", "答案是 **四**。"};
    }

    void structureHolds()
    {
        QFETCH(QList<StoredMessage>, branch);
        QFETCH(QStringList, skeleton);
        QFETCH(QStringList, insideDetails);
        QFETCH(QStringList, lines);
        app::ConversationInfo info;
        info.title = QStringLiteral("Title");
        info.model = kModel;
        const QString markdown = app::conversationMarkdown(info, branch);
        const Outline outline = Outline::of(markdown);
        const QStringList roles = {QStringLiteral("You"), kModelLine.mid(2)};
        QStringList found = outline.skeleton(roles);
        // The summary line is ours, the rest of an HTML block would be the text's.
        QCOMPARE(found, skeleton);
        QVERIFY2(outline.nestedHtml == 0, qPrintable(markdown));
        const qsizetype open = outline.blocks.indexOf(QRegularExpression(QStringLiteral("^HTML <details>")));
        const qsizetype close = outline.blocks.indexOf(kDetailsEnd);
        const QString inside = outline.blocks.mid(open + 1, close - open - 1).join(u'\n');
        for (const QString& words : insideDetails)
            QVERIFY2(inside.contains(words), qPrintable(inside));
        const QStringList fileLines = markdown.split(u'\n');
        for (const QString& line : lines)
            QVERIFY2(fileLines.contains(line), qPrintable(line + QStringLiteral(" not in:\n") + markdown));
    }

    // A reasoning cut short says so, and why, in its summary; an empty or
    // stopped answer says so in words.
    void notes_data()
    {
        QTest::addColumn<StoredMessage>("message");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("budget") << answer("Thinking", "Answer", 256, ReasoningCut::Budget)
                                << QStringList{"<summary>Reasoning (256 tokens, cut short: the thinking budget was reached)</summary>"};
        QTest::newRow("answer now") << answer("Thinking", "Answer", 1, ReasoningCut::AnswerNow)
                                    << QStringList{"<summary>Reasoning (1 token, cut short: you asked to answer)</summary>"};
        QTest::newRow("empty answer") << answer(QString(), QString()) << QStringList{"*No answer*"};
        QTest::newRow("stopped") << answer("Hmm", QString(), 3, ReasoningCut::None, MessageStatus::Stopped)
                                 << QStringList{"<summary>Reasoning (3 tokens)</summary>", "*No answer*",
                                                "*Stopped before the end*"};
        StoredMessage failed = answer(QString(), QString(), 0, ReasoningCut::None, MessageStatus::Error);
        failed.error = QStringLiteral("The GPU stopped <responding>");
        QTest::newRow("failed") << failed << QStringList{"*The answer failed: The GPU stopped \\<responding\\>*"};
    }

    void notes()
    {
        QFETCH(StoredMessage, message);
        QFETCH(QStringList, expected);
        const QString markdown = app::conversationMarkdown({}, {user(QStringLiteral("Q")), message});
        const QStringList lines = markdown.split(u'\n');
        for (const QString& line : expected)
            QVERIFY2(lines.contains(line), qPrintable(line + QStringLiteral(" not in:\n") + markdown));
        QVERIFY(markdown.startsWith(QStringLiteral("# Conversation\n")));
        QVERIFY(lines.contains(QStringLiteral("**Assistant**")));
        QCOMPARE(Outline::of(markdown).nestedHtml, 0);
    }

    // From a store: only the version of each message on screen.
    void onlyCurrentVersion()
    {
        QTemporaryDir dir;
        app::ConversationStore store;
        QVERIFY2(store.open(dir.filePath("c.sqlite")), qPrintable(store.errorString()));
        const qint64 conversation = store.createConversation(kModel);
        store.addMessage(conversation, MessageRole::User, QStringLiteral("Tell me a joke"));
        const qint64 first = store.addMessage(conversation, MessageRole::Assistant, QStringLiteral("First joke"));
        const qint64 second = store.addVersion(first, QStringLiteral("Second joke"));
        QVERIFY(second > first);
        QString markdown = app::conversationMarkdown(*store.conversation(conversation), store.currentBranch(conversation));
        QVERIFY(markdown.contains(QStringLiteral("Second joke")));
        QVERIFY(!markdown.contains(QStringLiteral("First joke")));
        QVERIFY(store.selectVersion(first));
        markdown = app::conversationMarkdown(*store.conversation(conversation), store.currentBranch(conversation));
        QVERIFY(markdown.contains(QStringLiteral("First joke")));
        QVERIFY(!markdown.contains(QStringLiteral("Second joke")));
        QVERIFY(markdown.startsWith(QStringLiteral("# Tell me a joke\n")));
    }

    void containedMarkdown_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "Hello *world*" << "Hello *world*";
        QTest::newRow("inline tags") << "a <b>bold</b> move" << "a \\<b>bold\\</b> move";
        QTest::newRow("details end") << "</details>" << "\\</details>";
        QTest::newRow("script block") << "<script>\nalert(1)\n</script>" << "\\<script>\nalert(1)\n\\</script>";
        QTest::newRow("open comment") << "<!-- hidden\nrest" << "\\<!-- hidden\nrest";
        QTest::newRow("open fence") << "```python\nprint(1)" << "```python\nprint(1)\n````";
        // The item, and its fence, end at the blank line after the text.
        QTest::newRow("open fence in a list item") << "1. Step\n   ```sh\n   ls" << "1. Step\n   ```sh\n   ls";
        QTest::newRow("open fence after a list") << "1. Step\n\n```sh\nls" << "1. Step\n\n```sh\nls\n````";
        QTest::newRow("open tilde fence") << "~~~\n</details>" << "~~~\n</details>\n~~~~";
        QTest::newRow("tags in code stay") << "`<b>` and\n\n```html\n</details>\n```" << "`<b>` and\n\n```html\n</details>\n```";
        QTest::newRow("autolink stays") << "<https://example.com>" << "<https://example.com>";
        QTest::newRow("line ends") << "\n\na\r\nb\rc  \n\n" << "a\nb\nc";
        QTest::newRow("Chinese") << "答案：<b>四</b>" << "答案：\\<b>四\\</b>";
    }

    void containedMarkdown()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(app::containedMarkdown(input), expected);
    }

    void escapedInline()
    {
        QCOMPARE(app::escapedInline(QStringLiteral("a_b *c* <d> [e](f) #1 &amp;\n x")),
                 QStringLiteral("a\\_b \\*c\\* \\<d\\> \\[e\\](f) \\#1 \\&amp; x"));
        const Outline outline = Outline::of(QStringLiteral("# ") + app::escapedInline(QStringLiteral("<script>x</script> **#")));
        QCOMPARE(outline.blocks, QStringList{"H1 <script>x</script> **#"});
        QCOMPARE(outline.nestedHtml, 0);
    }

    void exportFileName_data()
    {
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << "What is 2+2?" << "What is 2+2_.md";
        QTest::newRow("separators") << "a/b\\c:d*e\"f<g>h|i" << "a_b_c_d_e_f_g_h_i.md";
        QTest::newRow("dots and spaces") << " ..hidden. " << "hidden.md";
        QTest::newRow("empty") << "" << "Conversation.md";
        QTest::newRow("device name") << "con" << "con_.md";
        QTest::newRow("Chinese") << "二加二等於多少" << "二加二等於多少.md";
        QTest::newRow("long") << QString(100, u'x') << QString(80, u'x') + ".md";
        QTest::newRow("control") << QStringLiteral("a\u0001b") << "a_b.md";
    }

    void exportFileName()
    {
        QFETCH(QString, title);
        QFETCH(QString, expected);
        QCOMPARE(app::exportFileName(title), expected);
    }

    void plainText_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("expected");
        QTest::newRow("emphasis and code") << "Some *words*, **bold**, ~~old~~ and `code`." << "Some words, bold, old and code.";
        QTest::newRow("link") << "See [the docs](https://example.com/a)." << "See the docs (https://example.com/a).";
        QTest::newRow("autolink") << "<https://example.com>" << "https://example.com";
        QTest::newRow("bare address") << "Go to https://example.com now" << "Go to https://example.com now";
        QTest::newRow("heading") << "# Title\n\nText" << "Title\n\nText";
        QTest::newRow("code block") << "Run:\n\n```sh\nls -l\necho \"*hi*\"\n```\n\nDone." << "Run:\n\nls -l\necho \"*hi*\"\n\nDone.";
        QTest::newRow("tight list") << "- one\n- two\n  - nested" << "- one\n- two\n  - nested";
        QTest::newRow("list after a paragraph") << "Steps:\n- a\n- b" << "Steps:\n\n- a\n- b";
        QTest::newRow("ordered from 3") << "3. three\n4. four" << "3. three\n4. four";
        QTest::newRow("list around code") << "1. a\n\n   ```\n   x\n   ```\n2. b" << "1. a\n\n   x\n\n2. b";
        QTest::newRow("tasks") << "- [x] done\n- [ ] todo" << "- [x] done\n- [ ] todo";
        QTest::newRow("quote") << "> quoted\n> text\n\nafter" << "> quoted\n> text\n\nafter";
        QTest::newRow("table") << "| a | b |\n|---|:-:|\n| 1 | 2 |" << "a\tb\n1\t2";
        QTest::newRow("entities") << "AT&amp;T &lt;3 &#x4E2D;&#25991;" << "AT&T <3 中文";
        QTest::newRow("math") << "Area $\\pi r^2$ and $$x_1 + x_2$$" << "Area $\\pi r^2$ and $$x_1 + x_2$$";
        QTest::newRow("Chinese") << "**答案**是*四*。" << "答案是四。";
        QTest::newRow("image") << "![a cat](cat.png)" << "a cat";
        QTest::newRow("hard break") << "line one  \nline two" << "line one\nline two";
        QTest::newRow("raw html as written") << "a <b>b</b>" << "a <b>b</b>";
        QTest::newRow("empty") << "" << "";
    }

    void plainText()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, expected);
        QCOMPARE(app::markdownToPlainText(markdown), expected);
    }
};

QTEST_GUILESS_MAIN(TestConversationExport)
#include "tst_conversation_export.moc"
