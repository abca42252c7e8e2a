// The app's one reading and writing of split models' part names
// (common/split_name.h) against the engine's ggufSplitPath, and the names
// of message roles and statuses, each written in one place.
#include <QtTest>

#include "chat_backend.h"
#include "conversation_store.h"
#include "split_name.h"

using namespace ponder::app;

class TestSplitName : public QObject {
    Q_OBJECT

private slots:
    void partPaths_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("path");
        QTest::newRow("first of two") << "m" << 0 << 2 << "m-00001-of-00002.gguf";
        QTest::newRow("in a folder") << "/models/R1-Q4_K_M" << 1 << 3 << "/models/R1-Q4_K_M-00002-of-00003.gguf";
        // Past nine parts: the QML regex this replaces knew single digits only.
        QTest::newRow("twelfth of twelve") << "big" << 11 << 12 << "big-00012-of-00012.gguf";
        QTest::newRow("dashes in the stem") << "a-b-00001-of" << 0 << 1 << "a-b-00001-of-00001-of-00001.gguf";
    }

    void partPaths()
    {
        QFETCH(QString, prefix);
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, path);
        QCOMPARE(splitPartPath(prefix, index, count), path);
        const std::optional<SplitPart> part = splitPartOf(path);
        QVERIFY(part);
        QCOMPARE(part->prefix, prefix);
        QCOMPARE(part->index, index);
        QCOMPARE(part->count, count);
    }

    void notParts()
    {
        for (const char* name : {"model.gguf", "model-0001-of-0002.gguf", "model-00001-of-00002.bin",
                                 "model-00001-of-00000.gguf", "model-00001-00002.gguf"})
            QVERIFY2(!splitPartOf(QString::fromLatin1(name)), name);
    }

    void modelNames()
    {
        QCOMPARE(splitModelName(QStringLiteral("R1-Q4_K_M-00001-of-00002.gguf")), QStringLiteral("R1-Q4_K_M.gguf"));
        QCOMPARE(splitModelName(QStringLiteral("/m/big-00012-of-00012.gguf")), QStringLiteral("big.gguf"));
        QCOMPARE(splitModelName(QStringLiteral("R1-Q4_K_M.gguf")), QStringLiteral("R1-Q4_K_M.gguf"));
    }

    void roleAndStatusNames()
    {
        for (MessageRole role : {MessageRole::System, MessageRole::User, MessageRole::Assistant})
            QCOMPARE(roleNamed(roleName(role)), role);
        QCOMPARE(roleName(MessageRole::Assistant), QStringLiteral("assistant"));
        QVERIFY(!roleNamed(u"robot"));
        for (MessageStatus status :
             {MessageStatus::Streaming, MessageStatus::Complete, MessageStatus::Stopped, MessageStatus::Error})
            QCOMPARE(statusNamed(statusName(status)), status);
        QCOMPARE(statusName(MessageStatus::Stopped), QStringLiteral("stopped"));
        QVERIFY(!statusNamed(u"paused"));
    }
};

QTEST_GUILESS_MAIN(TestSplitName)
#include "tst_split_name.moc"
