// One Ponder per user and data folder (app/shell/single_instance.h): a
// second instance's file arrives at the first, a socket left by a crash is
// taken over, hostile messages are refused and open nothing; and the real
// executable, started twice, hands the second launch's file to the first.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include <cstring>
#include <future>

#include "single_instance.h"

#if defined(Q_OS_UNIX)
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#endif

using namespace ponder::app;

namespace {

// handOff() blocks; the listening side needs this thread's event loop.
std::future<std::optional<SingleInstance::HandOff>> handOffAsync(const QString& name, const QString& file)
{
    return std::async(std::launch::async, [name, file] { return SingleInstance::handOff(name, file); });
}

template <typename T>
T waitFor(std::future<T>& future)
{
    QElapsedTimer clock;
    clock.start();
    while (future.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready && clock.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return future.get();
}

} // namespace

class TestSingleInstance : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;  // a regular file with the GGUF magic

    QString socketName(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = writeFile(QStringLiteral("model.gguf"), QByteArrayLiteral("GGUF\x03\0\0\0rest of a header"));
    }

    void messagesRoundTrip()
    {
        QCOMPARE(SingleInstance::parseMessage(SingleInstance::message(QString()).trimmed()).value(), QString());
        QCOMPARE(SingleInstance::parseMessage(SingleInstance::message(m_model).trimmed()).value(), m_model);
    }

    void hostileMessagesAreRefused_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QString>("why");  // part of the reason

        const QString notGguf = writeFile(QStringLiteral("notes.txt"), "GGUF");
        const QString wrongMagic = writeFile(QStringLiteral("fake.gguf"), "#!/bin/sh\nrm -rf ~\n");
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("folder.gguf")));
        const auto open = [](const QString& path) {
            return QJsonDocument(QJsonObject{{QStringLiteral("open"), path}}).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("too long") << QByteArray(SingleInstance::kMaxMessageBytes + 1, 'a') << "too long";
        QTest::newRow("not JSON") << QByteArray("open /etc/passwd") << "not understood";
        QTest::newRow("an array") << QByteArray("[\"/a.gguf\"]") << "not understood";
        QTest::newRow("two paths") << QByteArray("{\"open\": [\"/a.gguf\", \"/b.gguf\"]}") << "names no file";
        QTest::newRow("another key") << (QByteArray("{\"run\": \"rm\", \"open\": \"") + m_model.toUtf8() + "\"}") << "not understood";
        QTest::newRow("a number") << QByteArray("{\"open\": 7}") << "names no file";
        QTest::newRow("empty path") << QByteArray("{\"open\": \"\"}") << "names no file";
        QTest::newRow("relative") << open(QStringLiteral("model.gguf")) << "not absolute";
        QTest::newRow("missing") << open(m_dir.filePath(QStringLiteral("gone.gguf"))) << "does not exist";
        QTest::newRow("a folder") << open(m_dir.filePath(QStringLiteral("folder.gguf"))) << "not a regular file";
        QTest::newRow("not .gguf") << open(notGguf) << "not a .gguf file";
        QTest::newRow("not GGUF inside") << open(wrongMagic) << "not a GGUF model";
        QTest::newRow("NUL inside") << QByteArray("{\"open\": \"/tmp/a\\u0000.gguf\"}") << "not absolute";
#if defined(Q_OS_UNIX)
        const QString fifo = m_dir.filePath(QStringLiteral("pipe.gguf"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QTest::newRow("a pipe") << open(fifo) << "not a regular file";
        QTest::newRow("a device") << open(QStringLiteral("/dev/zero")) << "not a regular file";
#endif
    }

    void hostileMessagesAreRefused()
    {
        QFETCH(QByteArray, message);
        QFETCH(QString, why);
        const auto parsed = SingleInstance::parseMessage(message);
        QVERIFY2(!parsed, qPrintable(parsed ? *parsed : QString()));
        QVERIFY2(parsed.error().contains(why), qPrintable(parsed.error()));
    }

    // Two instances in one process: the second does not listen, and its
    // file arrives at the first, absolute and checked.
    void fileArrivesAtTheFirst()
    {
        const QString name = socketName("a.socket");
        SingleInstance first(name);
        QVERIFY2(first.listen(), qPrintable(first.errorString()));
        SingleInstance second(name);
        QVERIFY(!second.listen());  // another answers: hand off instead

        QSignalSpy received(&first, &SingleInstance::fileReceived);
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        auto sent = handOffAsync(name, m_model);
        const auto handed = waitFor(sent);
        QVERIFY(handed);
        QVERIFY2(handed->accepted, qPrintable(handed->reply));
        QTRY_COMPARE(received.size(), 1);
        QCOMPARE(received[0][0].toString(), m_model);
        QCOMPARE(activated.size(), 0);

        // No file: only come to the front.
        auto raise = handOffAsync(name, QString());
        QVERIFY(waitFor(raise).value().accepted);
        QTRY_COMPARE(activated.size(), 1);
        QCOMPARE(received.size(), 1);
    }

    // Refusals travel back to the sender, and open nothing.
    void refusalIsAnswered()
    {
        const QString name = socketName("b.socket");
        SingleInstance first(name);
        QVERIFY(first.listen());
        QSignalSpy received(&first, &SingleInstance::fileReceived);
        QSignalSpy refused(&first, &SingleInstance::refused);

        auto sent = handOffAsync(name, m_dir.filePath(QStringLiteral("gone.gguf")));
        const auto handed = waitFor(sent);
        QVERIFY(handed);
        QVERIFY(!handed->accepted);
        QVERIFY2(handed->reply.startsWith(QStringLiteral("refused: ")) && handed->reply.contains(QStringLiteral("does not exist")),
                 qPrintable(handed->reply));

        // A peer that floods without a newline is cut off at the limit.
        auto flood = std::async(std::launch::async, [name] {
            QLocalSocket socket;
            socket.connectToServer(name);
            if (!socket.waitForConnected(3000))
                return QByteArray("no connection");
            socket.write(QByteArray(SingleInstance::kMaxMessageBytes * 4, 'x'));
            socket.waitForBytesWritten(3000);
            QByteArray reply;
            while (!reply.contains('\n') && socket.waitForReadyRead(3000))
                reply += socket.readAll();
            return reply;
        });
        const QByteArray reply = waitFor(flood);
        QVERIFY2(reply.startsWith("refused: the message is too long"), reply.constData());
        QTRY_COMPARE(refused.size(), 2);
        QCOMPARE(received.size(), 0);
    }

#if defined(Q_OS_UNIX)
    // A crash leaves the socket file with nobody behind it: nothing answers
    // there, and the next instance removes it and listens.
    void staleSocketIsTakenOver()
    {
        const QString name = socketName("stale.socket");
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray path = QFile::encodeName(name);
        std::memcpy(address.sun_path, path.constData(), size_t(path.size()));
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        ::close(fd);  // never listened, never unlinked: what a killed process leaves
        QVERIFY(QFileInfo::exists(name));

        QVERIFY(!SingleInstance::handOff(name, m_model, 500));  // nobody there
        SingleInstance instance(name);
        QVERIFY2(instance.listen(), qPrintable(instance.errorString()));
        QSignalSpy received(&instance, &SingleInstance::fileReceived);
        auto sent = handOffAsync(name, m_model);
        QVERIFY(waitFor(sent).value().accepted);
        QTRY_COMPARE(received.size(), 1);
    }
#endif

    // A live instance's socket is never removed by a newer one.
    void liveSocketIsKept()
    {
        const QString name = socketName("live.socket");
        QLocalServer other;
        QVERIFY(other.listen(name));
        SingleInstance instance(name);
        QVERIFY(!instance.listen());
        QVERIFY(QFileInfo::exists(name));
        QVERIFY(other.isListening());
    }

    void namesDifferByDataFolder()
    {
        const QString runtime = m_dir.filePath(QStringLiteral("runtime"));
        QVERIFY(QDir().mkpath(runtime));
        QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("one")).toUtf8());
        const QString one = SingleInstance::defaultServerName();
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("two")).toUtf8());
        const QString two = SingleInstance::defaultServerName();
        QVERIFY(one != two);
        QCOMPARE(QFileInfo(one).absolutePath(), runtime);
        QVERIFY2(QFileInfo(one).fileName().startsWith(QStringLiteral("ponder-")), qPrintable(one));
    }

    // The real executable twice, offscreen, with folders of its own: the
    // second launch exits 0 at once and the first receives its file; a
    // launch with a file that is no model is refused and exits 1.
    void executableHandsOver()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* variable : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"}) {
            const QString folder = home.filePath(QString::fromLatin1(variable).toLower());
            QVERIFY(QDir().mkpath(folder));
            QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
            env.insert(QString::fromLatin1(variable), folder);
        }
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ponder.instance.info=true"));
        env.insert(QStringLiteral("PONDER_DEVICE"), QStringLiteral("cpu"));

        QProcess first;
        first.setProcessEnvironment(env);
        first.setProcessChannelMode(QProcess::MergedChannels);
        first.start(QStringLiteral(PONDER_EXECUTABLE), {});
        QVERIFY(first.waitForStarted());
        const auto stopFirst = qScopeGuard([&] {
            first.terminate();
            if (!first.waitForFinished(10000))
                first.kill();
        });
        // Listening once its socket file is in its runtime folder.
        const QDir runtime(home.filePath(QStringLiteral("xdg_runtime_dir")));
        QTRY_VERIFY_WITH_TIMEOUT(!runtime.entryList({QStringLiteral("ponder-*.socket")}, QDir::System).isEmpty(), 30000);

        QProcess second;
        second.setProcessEnvironment(env);
        second.setProcessChannelMode(QProcess::MergedChannels);
        second.start(QStringLiteral(PONDER_EXECUTABLE), {m_model});
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitCode(), 0);
        QString firstSaid;
        QTRY_VERIFY_WITH_TIMEOUT((firstSaid += QString::fromUtf8(first.readAll()))
                                     .contains(QStringLiteral("another launch handed over ") + m_model),
                                 20000);

        QProcess third;
        third.setProcessEnvironment(env);
        third.setProcessChannelMode(QProcess::MergedChannels);
        third.start(QStringLiteral(PONDER_EXECUTABLE), {writeFile(QStringLiteral("script.gguf"), "#!/bin/sh\n")});
        QVERIFY(third.waitForFinished(30000));
        QCOMPARE(third.exitCode(), 1);
        const QString said = QString::fromUtf8(third.readAll());
        QVERIFY2(said.contains(QStringLiteral("not a GGUF model")), qPrintable(said));
        QCOMPARE(first.state(), QProcess::Running);

        // --new-instance runs a Ponder of its own (up to choosing its
        // device), and the first hears nothing from it. (Its conversations
        // stay with the first: the store refuses a second writer.)
        QProcess alone;
        alone.setProcessEnvironment(env);
        alone.setProcessChannelMode(QProcess::MergedChannels);
        alone.start(QStringLiteral(PONDER_EXECUTABLE), {QStringLiteral("--new-instance")});
        const auto stopAlone = qScopeGuard([&] {
            alone.terminate();
            if (!alone.waitForFinished(10000))
                alone.kill();
        });
        QString aloneSaid;
        QTRY_VERIFY2_WITH_TIMEOUT((aloneSaid += QString::fromUtf8(alone.readAll())).contains(QStringLiteral("ponder.gpu: using")),
                                  qPrintable(aloneSaid), 30000);
        QCOMPARE(alone.state(), QProcess::Running);
        firstSaid += QString::fromUtf8(first.readAll());
        QCOMPARE(firstSaid.count(QStringLiteral("another launch handed over")), 1);
    }

    // --help names the way out.
    void helpNamesNewInstance()
    {
        QProcess help;
        help.start(QStringLiteral(PONDER_EXECUTABLE), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(30000));
        QCOMPARE(help.exitCode(), 0);
        const QString said = QString::fromUtf8(help.readAllStandardOutput());
        QVERIFY2(said.contains(QStringLiteral("--new-instance")), qPrintable(said));
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_single_instance.moc"
