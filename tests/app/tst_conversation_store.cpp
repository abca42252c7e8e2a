// ConversationStore: migrations, versions of messages, search, coalesced
// streaming writes, broken databases, and a writer killed with SIGKILL while
// it streams.
#include <QtTest>

#include <algorithm>

#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>

#include "conversation_schema.h"
#include "conversation_store.h"
#include "store_writer_chunks.h"

using namespace ponder;
using app::ConversationStore;
using app::MessageRole;
using app::MessageStatus;

namespace {

// A second connection to the same file, to see what is really on disk.
class RawDatabase {
public:
    explicit RawDatabase(const QString& path)
        : m_name(QStringLiteral("raw.%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDatabase()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    // The first column of the first row of `sql`, or an error text.
    QVariant value(const QString& sql) const
    {
        QSqlQuery query(db());
        if (!query.exec(sql) || !query.next())
            return QStringLiteral("error: ") + query.lastError().text();
        return query.value(0);
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

QList<qint64> ids(const QList<app::StoredMessage>& messages)
{
    QList<qint64> result;
    for (const auto& m : messages)
        result.append(m.id);
    return result;
}

QStringList titlesOf(const QList<app::ConversationInfo>& conversations)
{
    QStringList result;
    for (const auto& c : conversations)
        result.append(c.title);
    return result;
}

} // namespace

class TestConversationStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_files = 0;

    QString newPath() { return m_dir.filePath(QStringLiteral("db%1/conversations.sqlite").arg(++m_files)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void migratesFromVersion1()
    {
        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        {
            RawDatabase raw(path);
            QSqlDatabase db = raw.db();
            QCOMPARE(app::schema::migrate(db, 1), QString());
            QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 1);
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("INSERT INTO conversations (id, title, created_ms, updated_ms, model)"
                                              " VALUES (7, 'Old chat', 1000, 2000, 'r1.gguf')")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, role, content, created_ms)"
                                              " VALUES (1, 7, 'user', 'Hi', 1000)")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, parent_id, role, reasoning,"
                                              " content, status, created_ms)"
                                              " VALUES (2, 7, 1, 'assistant', 'hmm', 'Hello', 'complete', 1500)")));
            QVERIFY(query.exec(QStringLiteral("UPDATE conversations SET current_leaf = 2")));
        }
        ConversationStore store;
        QVERIFY2(store.open(path), qPrintable(store.errorString()));
        QCOMPARE(RawDatabase(path).value(QStringLiteral("PRAGMA user_version")).toInt(), app::schema::kLatestVersion);
        const auto conversation = store.conversation(7);
        QVERIFY(conversation);
        QCOMPARE(conversation->title, QStringLiteral("Old chat"));
        QCOMPARE(conversation->model, QStringLiteral("r1.gguf"));
        QCOMPARE(conversation->updated.toMSecsSinceEpoch(), 2000);
        const auto branch = store.currentBranch(7);
        QCOMPARE(ids(branch), (QList<qint64>{1, 2}));
        QCOMPARE(branch[1].reasoning, QStringLiteral("hmm"));
        QCOMPARE(branch[1].content, QStringLiteral("Hello"));
        QCOMPARE(branch[1].stats, app::MessageStats{});  // version 2's columns, defaulted
        const app::MessageStats stats{12, 40, 30, 250, 3000, 21.5};
        QVERIFY(store.finishMessage(2, MessageStatus::Complete, stats));
        QCOMPARE(store.message(2)->stats, stats);
    }

    // A version 2 database (no reasoning_cut) opens: its answers were not cut.
    // Then a cut is stored, and reads back after the store is opened again.
    void keepsTheReasoningCut()
    {
        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        {
            RawDatabase raw(path);
            QSqlDatabase db = raw.db();
            QCOMPARE(app::schema::migrate(db, 2), QString());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("INSERT INTO conversations (id, title, created_ms, updated_ms)"
                                              " VALUES (3, 'Old chat', 1000, 2000)")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, role, content, created_ms)"
                                              " VALUES (1, 3, 'user', 'Hi', 1000)")));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO messages (id, conversation_id, parent_id, role, reasoning,"
                                              " content, status, created_ms, reasoning_tokens)"
                                              " VALUES (2, 3, 1, 'assistant', 'hmm', 'Hello', 'complete', 1500, 9)")));
            QVERIFY(query.exec(QStringLiteral("UPDATE conversations SET current_leaf = 2")));
        }
        app::MessageStats cut{12, 300, 256, 250, 3000, 21.5};
        cut.reasoningCut = app::ReasoningCut::Budget;
        qint64 answer = -1;
        {
            ConversationStore store;
            QVERIFY2(store.open(path), qPrintable(store.errorString()));
            QCOMPARE(RawDatabase(path).value(QStringLiteral("PRAGMA user_version")).toInt(), 3);
            const auto old = store.message(2);
            QVERIFY(old);
            QCOMPARE(old->stats.reasoningTokens, 9);
            QCOMPARE(old->stats.reasoningCut, app::ReasoningCut::None);
            QCOMPARE(store.branchList(3).last().toMap().value("reasoningCut").toString(), QString());

            QVERIFY(store.addMessage(3, MessageRole::User, QStringLiteral("Think less")) > 0);
            answer = store.addMessage(3, MessageRole::Assistant, QString(), MessageStatus::Streaming);
            QVERIFY(answer > 0);
            QVERIFY(store.setMessageText(answer, QStringLiteral("Let me see"), QStringLiteral("42")));
            QVERIFY(store.finishMessage(answer, MessageStatus::Complete, cut));
        }
        ConversationStore store;
        QVERIFY2(store.open(path), qPrintable(store.errorString()));
        QCOMPARE(store.message(answer)->stats, cut);
        QCOMPARE(store.branchList(3).last().toMap().value("reasoningCut").toString(), QStringLiteral("budget"));
        cut.reasoningCut = app::ReasoningCut::AnswerNow;
        QVERIFY(store.finishMessage(answer, MessageStatus::Stopped, cut));
        QCOMPARE(store.message(answer)->stats.reasoningCut, app::ReasoningCut::AnswerNow);
        cut.reasoningCut = app::ReasoningCut::None;
        QVERIFY(store.finishMessage(answer, MessageStatus::Complete, cut));
        QCOMPARE(store.message(answer)->stats.reasoningCut, app::ReasoningCut::None);
    }

    void reasoningCutNames()
    {
        for (auto cut : {app::ReasoningCut::None, app::ReasoningCut::AnswerNow, app::ReasoningCut::Budget})
            QCOMPARE(app::reasoningCutNamed(app::reasoningCutName(cut)), cut);
        QCOMPARE(app::reasoningCutName(app::ReasoningCut::Budget), QStringLiteral("budget"));
        // A reason a newer Ponder wrote reads as none, not as a wrong one.
        QCOMPARE(app::reasoningCutNamed(u"tired"), app::ReasoningCut::None);
    }

    // A failing step leaves the database at the version it had, nothing half done.
    void failedMigrationRollsBack()
    {
        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        {
            RawDatabase raw(path);
            QSqlDatabase db = raw.db();
            QCOMPARE(app::schema::migrate(db, 1), QString());
            // Version 2 adds this column last: its earlier steps succeed, then it fails.
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("ALTER TABLE messages ADD COLUMN tokens_per_second REAL")));
        }
        ConversationStore store;
        QVERIFY(!store.open(path));
        QVERIFY2(store.errorString().contains(QStringLiteral("schema 2")), qPrintable(store.errorString()));
        RawDatabase raw(path);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 1);
        QVERIFY(raw.value(QStringLiteral("SELECT prompt_tokens FROM messages")).toString().startsWith("error"));
    }

    void refusesNewerSchema()
    {
        const QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        {
            RawDatabase raw(path);
            QSqlQuery query(raw.db());
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        ConversationStore store;
        QVERIFY(!store.open(path));
        QVERIFY2(store.errorString().contains(QStringLiteral("newer version")), qPrintable(store.errorString()));
        QVERIFY(!store.isOpen());
    }

    void brokenDatabases_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("not a database") << "garbage";
        QTest::newRow("damaged schema page") << "damaged";
        QTest::newRow("folder is a file") << "unwritable";
    }

    // A clear error from open(), and every later call fails cleanly.
    void brokenDatabases()
    {
        QFETCH(QString, kind);
        QString path = newPath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        if (kind == "garbage") {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray(8192, 'x'));
        } else if (kind == "damaged") {
            {
                ConversationStore store;
                QVERIFY(store.open(path));
                store.addMessage(store.createConversation(), MessageRole::User, QStringLiteral("hello"));
            }
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.seek(100));  // past the 100-byte header: the schema table's page
            file.write(QByteArray(3000, '\xff'));
        } else {
            QFile file(m_dir.filePath(QStringLiteral("plain-file")));
            QVERIFY(file.open(QIODevice::WriteOnly));
            path = file.fileName() + QStringLiteral("/conversations.sqlite");
        }
        ConversationStore store;
        QVERIFY(!store.open(path));
        QVERIFY(!store.isOpen());
        QVERIFY2(store.errorString().contains(QFileInfo(path).fileName()) ||
                     store.errorString().contains(QFileInfo(path).absolutePath()),
                 qPrintable(store.errorString()));
        QCOMPARE(store.createConversation(), -1);
        QCOMPARE(store.addMessage(1, MessageRole::User, QStringLiteral("x")), -1);
        QVERIFY(!store.appendToMessage(1, QString(), QStringLiteral("x")));
        QVERIFY(store.conversations().isEmpty());
        QVERIFY(store.errorString().contains(QStringLiteral("No conversation database is open")));
    }

    void titles_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("title");
        QTest::newRow("first non-empty line") << "\n  \n  What is 2+2?  \nSecond line" << "What is 2+2?";
        QTest::newRow("white space folded") << "a \t b" << "a b";
        QTest::newRow("cut at a word")
            << "Explain how the attention mechanism in transformers scales with the sequence length please"
            << "Explain how the attention mechanism in transformers scales…";
        QTest::newRow("one long word") << QString(80, u'x') << QString(60, u'x') + u'…';
        QTest::newRow("empty") << "  \n " << "";
    }

    void titles()
    {
        QFETCH(QString, text);
        QFETCH(QString, title);
        QCOMPARE(ConversationStore::titleFrom(text), title);
        QVERIFY(ConversationStore::titleFrom(text).size() <= 61);
    }

    void versionsAndBranches()
    {
        ConversationStore store;
        QVERIFY(store.open(newPath()));
        const qint64 c = store.createConversation(QStringLiteral("m.gguf"), QJsonObject{{"temperature", 0.6}});
        QVERIFY(c > 0);
        QCOMPARE(store.conversation(c)->settings.value("temperature").toDouble(), 0.6);
        const qint64 u1 = store.addMessage(c, MessageRole::User, QStringLiteral("Q1"));
        const qint64 a1 = store.addMessage(c, MessageRole::Assistant, QStringLiteral("A1"));
        const qint64 u2 = store.addMessage(c, MessageRole::User, QStringLiteral("Q2"));
        const qint64 a2 = store.addMessage(c, MessageRole::Assistant, QStringLiteral("A2"));
        QCOMPARE(ids(store.currentBranch(c)), (QList<qint64>{u1, a1, u2, a2}));
        QCOMPARE(store.message(a1)->parentId, u1);
        QCOMPARE(store.message(u1)->parentId, -1);

        // Edit and resend: the old question and its answer stay as version 1.
        const qint64 u2b = store.addVersion(u2, QStringLiteral("Q2, edited"));
        const qint64 a2b = store.addMessage(c, MessageRole::Assistant, QStringLiteral("A2b"));
        auto branch = store.currentBranch(c);
        QCOMPARE(ids(branch), (QList<qint64>{u1, a1, u2b, a2b}));
        QCOMPARE(branch[2].versionIndex, 1);
        QCOMPARE(branch[2].versionCount, 2);
        QCOMPARE(branch[3].versionCount, 1);
        QCOMPARE(store.versions(u2b), (QList<qint64>{u2, u2b}));

        // Switching back shows the old answer; regenerating adds a sibling answer.
        QVERIFY(store.selectVersion(u2));
        QCOMPARE(ids(store.currentBranch(c)), (QList<qint64>{u1, a1, u2, a2}));
        const qint64 a2c = store.addVersion(a2, QString(), MessageStatus::Streaming);
        branch = store.currentBranch(c);
        QCOMPARE(ids(branch), (QList<qint64>{u1, a1, u2, a2c}));
        QCOMPARE(branch[3].versionIndex, 1);
        QCOMPARE(branch[3].status, MessageStatus::Streaming);
        QCOMPARE(branch[3].role, MessageRole::Assistant);
        QVariantList list = store.branchList(c);
        QCOMPARE(list.size(), 4);
        QCOMPARE(list[3].toMap().value("status").toString(), QStringLiteral("streaming"));
        QCOMPARE(list[2].toMap().value("versionCount").toInt(), 2);

        // Editing the first message: versions of a root.
        const qint64 u1b = store.addVersion(u1, QStringLiteral("Q1, edited"));
        QCOMPARE(store.versions(u1), (QList<qint64>{u1, u1b}));
        QCOMPARE(ids(store.currentBranch(c)), (QList<qint64>{u1b}));
        QCOMPARE(store.conversation(c)->title, QStringLiteral("Q1"));  // the title stays
        QVERIFY(store.selectVersion(u1));
        QCOMPARE(ids(store.currentBranch(c)), (QList<qint64>{u1, a1, u2b, a2b}));  // newest below

        // Deleting a version takes its answers with it; the branch left shows.
        QVERIFY(store.selectVersion(a2c));
        QVERIFY(store.deleteMessage(u2));
        QVERIFY(!store.message(a2));
        QVERIFY(!store.message(a2c));
        branch = store.currentBranch(c);
        QCOMPARE(ids(branch), (QList<qint64>{u1, a1, u2b, a2b}));
        QCOMPARE(branch[2].versionCount, 1);
        QVERIFY(store.deleteMessage(u1));
        QCOMPARE(ids(store.currentBranch(c)), (QList<qint64>{u1b}));
        QVERIFY(!store.deleteMessage(u1));  // already gone
        QVERIFY(store.errorString().contains(QStringLiteral("no message")));
    }

    // Deep parent chains: SQLite's cascades would stop at 1000 levels.
    void deletesLongConversations()
    {
        ConversationStore store;
        QVERIFY(store.open(newPath()));
        const qint64 c = store.createConversation();
        qint64 first = -1;
        for (int i = 0; i < 1100; ++i) {
            const qint64 id = store.addMessage(c, i % 2 ? MessageRole::Assistant : MessageRole::User,
                                               QString::number(i));
            QVERIFY(id > 0);
            if (first < 0)
                first = id;
        }
        QCOMPARE(store.currentBranch(c).size(), 1100);
        QVERIFY2(store.deleteMessage(first + 1), qPrintable(store.errorString()));
        QCOMPARE(ids(store.currentBranch(c)), QList<qint64>{first});
        QVERIFY2(store.deleteConversation(c), qPrintable(store.errorString()));
        QVERIFY(!store.conversation(c));
        QVERIFY(!store.message(first));
    }

    void listSearchRenameDelete()
    {
        ConversationStore store;
        QVERIFY(store.open(newPath()));
        QSignalSpy changed(&store, &ConversationStore::conversationsChanged);
        const qint64 rust = store.createConversation();
        store.addMessage(rust, MessageRole::User, QStringLiteral("Rust lifetimes?"));
        const qint64 percent = store.createConversation();
        store.addMessage(percent, MessageRole::User, QStringLiteral("Odds"));
        const qint64 answer = store.addMessage(percent, MessageRole::Assistant, QString());
        QVERIFY(store.setMessageText(answer, QStringLiteral("secretword in the thought"),
                                     QStringLiteral("I am 100% sure about snake_case.")));
        const qint64 thinker = store.createConversation();
        store.addMessage(thinker, MessageRole::Assistant, QStringLiteral("no user yet"));
        QVERIFY(store.conversation(thinker)->title.isEmpty());  // titles come from user messages only
        QVERIFY(changed.size() >= 3);

        QThread::msleep(3);  // updated times in ms must differ
        store.addMessage(rust, MessageRole::Assistant, QStringLiteral("They are scopes."));
        QCOMPARE(titlesOf(store.conversations()), (QStringList{"Rust lifetimes?", "", "Odds"}));
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("RUST"))), QStringList{"Rust lifetimes?"});
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("scopes"))), QStringList{"Rust lifetimes?"});
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("100%"))), QStringList{"Odds"});
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("10%"))), QStringList{});
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("e_c"))), QStringList{"Odds"});
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("a_e"))), QStringList{});  // '_' is no wildcard
        QCOMPARE(titlesOf(store.conversations(QStringLiteral("secretword"))), QStringList{});  // not the thought
        QCOMPARE(store.conversationList(QStringLiteral("odds")).size(), 1);
        QCOMPARE(store.conversationList().first().value<app::ConversationInfo>().id, rust);

        QVERIFY(store.renameConversation(percent, QStringLiteral("  Probability \n talk ")));
        QCOMPARE(store.conversation(percent)->title, QStringLiteral("Probability talk"));
        QVERIFY(store.deleteConversation(percent));
        QVERIFY(!store.message(answer));
        QCOMPARE(store.conversations().size(), 2);
        QVERIFY(!store.renameConversation(percent, QStringLiteral("x")));
        QVERIFY(!store.deleteConversation(percent));
        QVERIFY(store.errorString().contains(QStringLiteral("no conversation")));
    }

    // Streamed text reaches the file within the interval, not on every call.
    void coalescesStreamedWrites()
    {
        const QString path = newPath();
        ConversationStore store;
        QVERIFY(store.open(path));
        store.setFlushIntervalMs(300);
        const qint64 c = store.createConversation();
        const qint64 id = store.addMessage(c, MessageRole::Assistant, QString(), MessageStatus::Streaming);
        RawDatabase raw(path);
        const QString contentSql = QStringLiteral("SELECT reasoning || '|' || content FROM messages WHERE id = %1").arg(id);

        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 100; ++i)
            QVERIFY(store.appendToMessage(id, i < 50 ? QStringLiteral("r") : QString(),
                                          i >= 50 ? QStringLiteral("a") : QString()));
        const QString expected = QString(50, u'r') + u'|' + QString(50, u'a');
        if (clock.elapsed() < 250)  // nothing written yet, unless this machine stalled us
            QCOMPARE(raw.value(contentSql).toString(), QStringLiteral("|"));
        QTRY_COMPARE_WITH_TIMEOUT(raw.value(contentSql).toString(), expected, 5000);

        QVERIFY(store.setMessageText(id, QStringLiteral("R"), QStringLiteral("A")));
        QCOMPARE(store.message(id)->content, QStringLiteral("A"));  // reads write pending text first
        QCOMPARE(raw.value(contentSql).toString(), QStringLiteral("R|A"));

        QVERIFY(store.appendToMessage(id, QString(), QStringLiteral("nswer")));
        const app::MessageStats stats{5, 9, 3, 120, 800, 33.0};
        QVERIFY(store.finishMessage(id, MessageStatus::Stopped, stats));
        QVERIFY(store.flush());  // the end is written on the store's writer thread
        QCOMPARE(raw.value(contentSql).toString(), QStringLiteral("R|Answer"));
        QCOMPARE(raw.value(QStringLiteral("SELECT status FROM messages WHERE id = %1").arg(id)).toString(),
                 QStringLiteral("stopped"));
        QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));

        QVERIFY(store.finishMessage(id, MessageStatus::Error, {}, QStringLiteral("Out of GPU memory")));
        QCOMPARE(store.message(id)->error, QStringLiteral("Out of GPU memory"));
        QVERIFY(!store.finishMessage(id + 100, MessageStatus::Complete));
    }

    // An answer's text and its end are written on the store's writer thread
    // (text_writer.h): with another connection holding the database's write
    // lock, finishMessage() returns at once, where a write on the caller's
    // thread would wait out the busy timeout and fail. The write that fails
    // meanwhile is reported and keeps its text; once the lock is gone the
    // next try writes all of it, in order.
    void writesAnswersOffTheCallersThread()
    {
        const QString path = newPath();
        ConversationStore store;
        QVERIFY(store.open(path));
        store.setFlushIntervalMs(0);
        const qint64 c = store.createConversation();
        const qint64 id = store.addMessage(c, MessageRole::Assistant, QString(), MessageStatus::Streaming);
        QSignalSpy changed(&store, &ConversationStore::conversationsChanged);
        QSignalSpy failed(&store, &ConversationStore::writeFailed);

        RawDatabase raw(path);
        QSqlQuery lock(raw.db());
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(store.appendToMessage(id, QStringLiteral("thought"), QStringLiteral("an")));
        QVERIFY(store.appendToMessage(id, QString(), QStringLiteral("swer")));
        const app::MessageStats stats{5, 9, 3, 120, 800, 33.0};
        QVERIFY(store.finishMessage(id, MessageStatus::Complete, stats));
        QVERIFY(!store.finishMessage(id + 100, MessageStatus::Complete));  // still checked at once
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 15000);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("Cannot save the message")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(changed.count(), 0);  // nothing ended yet
        QVERIFY(lock.exec(QStringLiteral("COMMIT")));

        QVERIFY(store.flush());
        const std::optional<app::StoredMessage> m = store.message(id);
        QVERIFY(m);
        QCOMPARE(m->reasoning, QStringLiteral("thought"));
        QCOMPARE(m->content, QStringLiteral("answer"));
        QCOMPARE(m->status, MessageStatus::Complete);
        QCOMPARE(m->stats, stats);
        QTRY_COMPARE(changed.count(), 1);  // the list hears of the end once it is written
    }

    // The log is copied into the database on the store's checkpoint thread,
    // never by the store's own connection: its two fdatasync calls would
    // wait on the UI thread, every few flushes of a long answer.
    void copiesTheLogOffItsThread()
    {
        const QString path = newPath();
        const QString megabyte(1 << 20, u'x');
        ConversationStore store;
        QVERIFY(store.open(path));
        QCOMPARE(store.ownCheckpointThresholdPages(), 0);
        const qint64 c = store.createConversation();
        const qint64 id = store.addMessage(c, MessageRole::Assistant, QString(), MessageStatus::Streaming);
        for (int i = 0; i < 8; ++i) {
            QVERIFY(store.appendToMessage(id, QString(), megabyte));
            QVERIFY(store.flush());
        }
        // The 8 MB answer reached the database file itself, not only its log.
        QTRY_VERIFY(store.backgroundCheckpoints() > 0);
        QTRY_VERIFY2(QFileInfo(path).size() > 8 * megabyte.size(), qPrintable(QString::number(QFileInfo(path).size())));
        QVERIFY(store.finishMessage(id, MessageStatus::Complete));
        store.close();
        QVERIFY(store.open(path));
        QCOMPARE(store.message(id)->content.size(), 8 * megabyte.size());
    }

    // The SIGKILL test: a child streams into a store and is killed mid-answer.
    // The database must be intact, hold a prefix of what was streamed, and
    // miss at most the last second of it.
    void survivesSigkill()
    {
        const QString path = newPath();
        constexpr int kReasoningChunks = 150;
        QProcess writer;
        writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ponder.store.info=false"));
        writer.setProcessEnvironment(environment);
        writer.start(QStringLiteral(PONDER_STORE_WRITER), {path, QString::number(kReasoningChunks)});
        QVERIFY2(writer.waitForStarted(), qPrintable(writer.errorString()));

        QElapsedTimer deadline;
        deadline.start();
        QElapsedTimer clock;
        qint64 messageId = -1;
        QList<qint64> receivedAt;  // [i - 1]: when "appended i" arrived, in ms since the first
        while (receivedAt.isEmpty() || clock.elapsed() < 2000) {
            QVERIFY2(writer.state() == QProcess::Running, "the writer stopped by itself");
            QVERIFY2(deadline.elapsed() < 60000, "the writer reports nothing");
            writer.waitForReadyRead(50);
            while (writer.canReadLine()) {
                const QByteArray line = writer.readLine().trimmed();
                if (line.startsWith("message "))
                    messageId = line.mid(8).toLongLong();
                else if (line.startsWith("appended ")) {
                    if (receivedAt.isEmpty())
                        clock.start();
                    QCOMPARE(line.mid(9).toLongLong(), receivedAt.size() + 1);
                    receivedAt.append(clock.elapsed());
                }
            }
            QVERIFY2(receivedAt.size() < 100000, "runaway writer");
        }
        const qint64 killedAt = clock.elapsed();
        writer.kill();  // SIGKILL on Unix
        QVERIFY(writer.waitForFinished(5000));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        QVERIFY(messageId > 0);

        {
            RawDatabase raw(path);
            QCOMPARE(raw.value(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));
        }
        ConversationStore store;
        QVERIFY2(store.open(path), qPrintable(store.errorString()));
        const auto message = store.message(messageId);
        QVERIFY(message);
        QCOMPARE(message->status, MessageStatus::Stopped);  // was streaming when killed

        // What was streamed: chunks 1..150 as reasoning, the rest as answer.
        // The writer may have appended one chunk more than it reported.
        const qsizetype sent = receivedAt.size() + 1;
        QString reasoning, answer;
        for (int i = 1; i <= sent; ++i)
            (i <= kReasoningChunks ? reasoning : answer) += test::storeWriterChunk(i);
        QVERIFY(reasoning.startsWith(message->reasoning));
        QVERIFY(answer.startsWith(message->content));
        QVERIFY(message->content.isEmpty() || message->reasoning == reasoning);
        const qsizetype storedChars = message->reasoning.size() + message->content.size();
        QCOMPARE(storedChars % test::kChunkLength, 0);
        const qsizetype stored = storedChars / test::kChunkLength;

        // Every chunk reported a second before the kill was stored (a
        // report arrives after its write, so this errs on the safe side).
        const qsizetype due = std::count_if(receivedAt.begin(), receivedAt.end(),
                                            [&](qint64 t) { return t <= killedAt - 1000; });
        QVERIFY(due > kReasoningChunks);  // the test covered both parts
        QVERIFY2(stored >= due, qPrintable(QStringLiteral("stored %1 chunks, %2 were due").arg(stored).arg(due)));
        const qint64 lostMs = stored == 0 ? killedAt : killedAt - receivedAt[std::min(stored, receivedAt.size()) - 1];
        qInfo("killed after %lld ms and %lld chunks; %lld stored, the last %lld ms of text lost",
              static_cast<long long>(killedAt), static_cast<long long>(receivedAt.size()),
              static_cast<long long>(stored), static_cast<long long>(lostMs));
    }

    // A second store on the same database (a second Ponder) is refused while
    // the first is open: it neither marks the first one's streaming answer
    // stopped nor writes. Once the first closes, the database opens again.
    void secondInstanceIsRefused()
    {
        const QString path = newPath();
        ConversationStore first;
        QVERIFY2(first.open(path), qPrintable(first.errorString()));
        const qint64 c = first.createConversation();
        const qint64 answer = first.addMessage(c, MessageRole::Assistant, QString(), MessageStatus::Streaming);
        QVERIFY(answer > 0);

        ConversationStore second;
        QVERIFY(!second.open(path));
        QVERIFY2(second.errorString().contains(QStringLiteral("in use by another Ponder")),
                 qPrintable(second.errorString()));
        QVERIFY(!second.isOpen());
        QCOMPARE(second.createConversation(), -1);
        QCOMPARE(first.message(answer)->status, MessageStatus::Streaming);
        QVERIFY(first.appendToMessage(answer, QString(), QStringLiteral("still mine")));
        QVERIFY(first.finishMessage(answer, MessageStatus::Complete));

        first.close();
        QVERIFY2(second.open(path), qPrintable(second.errorString()));
        QCOMPARE(second.message(answer)->status, MessageStatus::Complete);
        QCOMPARE(second.message(answer)->content, QStringLiteral("still mine"));
    }

    // Roles and statuses have one name each, in the database and the message list.
    void roleAndStatusNames()
    {
        for (MessageRole role : {MessageRole::System, MessageRole::User, MessageRole::Assistant})
            QCOMPARE(app::roleNamed(app::roleName(role)), role);
        QCOMPARE(app::roleName(MessageRole::Assistant), QStringLiteral("assistant"));
        QVERIFY(!app::roleNamed(u"robot"));
        for (MessageStatus status :
             {MessageStatus::Streaming, MessageStatus::Complete, MessageStatus::Stopped, MessageStatus::Error})
            QCOMPARE(app::statusNamed(app::statusName(status)), status);
        QCOMPARE(app::statusName(MessageStatus::Stopped), QStringLiteral("stopped"));
        QVERIFY(!app::statusNamed(u"paused"));
    }
};

QTEST_GUILESS_MAIN(TestConversationStore)
#include "tst_conversation_store.moc"
