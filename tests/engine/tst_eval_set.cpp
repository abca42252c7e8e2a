// Prompt sets (eval_set.h): a good file read field by field, every error
// naming its line, CRLF and blank lines, hostile megabytes that parse or
// fail cleanly, and the set Ponder ships (resources/eval/r1-eval.txt).
#include <QtTest>

#include <QTemporaryDir>

#include <fstream>
#include <map>
#include <set>

#include "ponder/eval_set.h"

using namespace ponder;

namespace {

constexpr const char* kGood =
    "# Ponder's prompts\n"
    "\n"
    "# another comment, after a blank line\n"
    "=== math-01 | math | 42\n"
    "What is six times seven? Put the answer in \\boxed{}.\n"
    "=== code-01 | code\n"
    "\n"
    "Fix this:\n"
    "\n"
    "# a Python comment is the prompt's text\n"
    "print(1 +)\n"
    "\n"
    "\n"
    "===   prose-01   |  prose  \n"
    "  Indented text keeps its indent.  \n";

std::string withCrlf(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

void verifyGood(const Result<std::vector<ComparisonPrompt>>& parsed)
{
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->size(), size_t(3));
    const ComparisonPrompt& math = (*parsed)[0];
    QCOMPARE(math.id, std::string("math-01"));
    QCOMPARE(math.category, std::string("math"));
    QCOMPARE(math.expected, std::string("42"));
    QCOMPARE(math.text, std::string("What is six times seven? Put the answer in \\boxed{}."));
    const ComparisonPrompt& code = (*parsed)[1];
    QCOMPARE(code.id, std::string("code-01"));
    QCOMPARE(code.expected, std::string());
    QCOMPARE(code.text, std::string("Fix this:\n\n# a Python comment is the prompt's text\nprint(1 +)"));
    const ComparisonPrompt& prose = (*parsed)[2];
    QCOMPARE(prose.id, std::string("prose-01"));  // fields trimmed
    QCOMPARE(prose.category, std::string("prose"));
    QCOMPARE(prose.text, std::string("  Indented text keeps its indent.  "));
}

// The message names `line`.
bool namesLine(const Error& error, int line)
{
    return error.code == ErrorCode::InvalidArgument &&
           error.message.find("line " + std::to_string(line) + ":") != std::string::npos;
}

} // namespace

class TestEvalSet : public QObject {
    Q_OBJECT

private slots:
    void goodFile()
    {
        verifyGood(parseEvalSet(kGood));
    }

    void crlfLineEnds()
    {
        verifyGood(parseEvalSet(withCrlf(kGood)));
        // A byte order mark from a Windows editor, too.
        verifyGood(parseEvalSet("\xEF\xBB\xBF" + withCrlf(kGood)));
    }

    void blankLinesAroundTheTextTrimmed()
    {
        const auto parsed = parseEvalSet("=== a | x\n\n  \nfirst\n\nsecond\n\n \t\n\r\n\n=== b | y\nlast\n\n\n");
        QVERIFY(parsed.has_value());
        QCOMPARE((*parsed)[0].text, std::string("first\n\nsecond"));
        QCOMPARE((*parsed)[1].text, std::string("last"));
        // No newline at the very end.
        const auto unterminated = parseEvalSet("=== a | x\nonly line");
        QVERIFY(unterminated.has_value());
        QCOMPARE((*unterminated)[0].text, std::string("only line"));
    }

    void errorsNameTheirLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("says");
        QTest::newRow("text before the first prompt") << "# fine\n\nstray text\n=== a | b\nx\n" << 3 << "before the first";
        QTest::newRow("no id") << "=== a | b\nx\n===  | math\ny\n" << 3 << "no id";
        QTest::newRow("no category") << "=== a | b\nx\n=== c |  | 7\ny\n" << 3 << "no category";
        QTest::newRow("only an id") << "=== a | b\nx\n\n=== c\ny\n" << 4 << "header";
        QTest::newRow("a bare marker") << "=== a | b\nx\n===\ny\n" << 3 << "header";
        QTest::newRow("four fields") << "=== a | b | c | d\nx\n" << 1 << "header";
        QTest::newRow("id used twice") << "=== a | b\nx\n=== c | b\ny\n=== a | b\nz\n" << 5 << "line 1";
        QTest::newRow("no text, in the middle") << "=== a | b\n\n \n=== c | b\ny\n" << 1 << "no text";
        QTest::newRow("no text, at the end") << "=== a | b\nx\n=== c | b\n\n\n" << 3 << "\"c\" has no text";
        QTest::newRow("errors count CRLF lines once") << "=== a | b\r\nx\r\n\r\n=== a | b\r\ny\r\n" << 4 << "already";
    }

    void errorsNameTheirLine()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(QString, says);
        const auto parsed = parseEvalSet(text.toStdString());
        QVERIFY(!parsed);
        QVERIFY2(namesLine(parsed.error(), line), parsed.error().message.c_str());
        QVERIFY2(parsed.error().message.find(says.toStdString()) != std::string::npos, parsed.error().message.c_str());
    }

    void noPromptsIsAnError()
    {
        for (const char* text : {"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF"}) {
            const auto parsed = parseEvalSet(text);
            QVERIFY(!parsed);
            QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        }
    }

    // A megabyte of each kind of nonsense: a clean result or a clean error.
    void hostileMegabyte()
    {
        const size_t megabyte = 1 << 20;
        // No newline at all.
        const auto oneLine = parseEvalSet(std::string(megabyte, 'x'));
        QVERIFY(!oneLine);
        QVERIFY(namesLine(oneLine.error(), 1));
        // Every byte value, after a header: all of it is the prompt's text.
        std::string bytes = "=== a | b\n";
        for (size_t i = 0; i < megabyte; ++i)
            bytes += char(uint8_t((i * 131 + 7) % 256));
        const auto binary = parseEvalSet(bytes);
        QVERIFY(binary.has_value());
        QCOMPARE(binary->size(), size_t(1));
        QVERIFY((*binary)[0].text.size() > megabyte / 2);
        // Newlines only.
        QVERIFY(!parseEvalSet(std::string(megabyte, '\n')));
        // Headers only: the first lacks text.
        std::string headers;
        for (size_t i = 0; headers.size() < megabyte; ++i)
            headers += "=== p" + std::to_string(i) + " | c\n";
        const auto empty = parseEvalSet(headers);
        QVERIFY(!empty);
        QVERIFY(namesLine(empty.error(), 1));
        // Many prompts: all read.
        std::string many;
        size_t count = 0;
        for (; many.size() < megabyte; ++count)
            many += "=== p" + std::to_string(count) + " | c | " + std::to_string(count) + "\ntext\r\n";
        const auto all = parseEvalSet(many);
        QVERIFY(all.has_value());
        QCOMPARE(all->size(), count);
        QCOMPARE(all->back().expected, std::to_string(count - 1));
        // One header with a megabyte of separators.
        std::string bars = "=== a";
        while (bars.size() < megabyte)
            bars += " | ";
        QVERIFY(!parseEvalSet(bars + "\nx\n"));
        // The same id a great many times: the second is the error.
        std::string repeated;
        while (repeated.size() < megabyte)
            repeated += "=== a | b\nx\n";
        const auto twice = parseEvalSet(repeated);
        QVERIFY(!twice);
        QVERIFY(namesLine(twice.error(), 3));
    }

    void readingFiles()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("set.txt")).toStdString();
        {
            std::ofstream out(path, std::ios::binary);
            out << withCrlf(kGood);
        }
        verifyGood(readEvalSet(path));
        const auto missing = readEvalSet(dir.filePath(QStringLiteral("absent.txt")).toStdString());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        {
            std::ofstream out(path, std::ios::binary);
            out << "=== a | b\n\n";
        }
        const auto bad = readEvalSet(path);
        QVERIFY(!bad);
        QVERIFY(bad.error().message.starts_with(path.string() + ": line 1:"));
    }

    // The set Ponder ships: 30 prompts of the five kinds, unique ids, and
    // every math prompt with its expected answer and a \boxed{} request.
    void shippedSet()
    {
        const auto prompts = readEvalSet(std::filesystem::path(PONDER_SOURCE_DIR) / "resources/eval/r1-eval.txt");
        QVERIFY2(prompts.has_value(), prompts ? "" : prompts.error().message.c_str());
        QCOMPARE(prompts->size(), size_t(30));
        std::set<std::string> ids;
        std::map<std::string, int> perCategory;
        for (const ComparisonPrompt& prompt : *prompts) {
            QVERIFY2(ids.insert(prompt.id).second, prompt.id.c_str());
            ++perCategory[prompt.category];
            QVERIFY(!prompt.text.empty());
            QVERIFY2(prompt.text.size() < 400, prompt.id.c_str());  // short prompts
            if (prompt.category == "math") {
                QVERIFY2(!prompt.expected.empty(), prompt.id.c_str());
                QVERIFY2(prompt.text.find("\\boxed{}") != std::string::npos, prompt.id.c_str());
            }
        }
        QCOMPARE(perCategory, (std::map<std::string, int>{
                                  {"math", 8}, {"code", 6}, {"logic", 5}, {"chinese", 5}, {"prose", 6}}));
    }
};

QTEST_GUILESS_MAIN(TestEvalSet)
#include "tst_eval_set.moc"
