// SecretStore (issue 17 item 4), run twice by CTest: under
// tests/app/with_keyring.sh (a private session bus and gnome-keyring:
// PONDER_EXPECT_KEYRING=1), where a key file moves into the keyring and is
// removed, and read back from the keyring (QtKeychain, and secret-tool where
// it is installed); and with no session bus at all (PONDER_EXPECT_KEYRING=0),
// where the key stays in its private file and the store says where. A
// missing keyring in the first run is a failure, never a skip.
#include <QtTest>

#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>

#include <optional>

#include <qt6keychain/keychain.h>

#include "chat_settings.h"
#include "key_file.h"
#include "secret_store.h"

using namespace ponder::app;

namespace {

constexpr int kWait = 20000;

// The value `store` reads for `name`, waiting for the keyring's answer.
std::optional<QString> readBack(SecretStore& store, const QString& name)
{
    std::optional<QString> value;
    store.read(name, [&](const QString& read) { value = read; });
    (void)QTest::qWaitFor([&] { return value.has_value(); }, kWait);  // no answer: the caller sees none
    return value;
}

std::optional<QString> written(SecretStore& store, const QString& name, const QString& value)
{
    std::optional<QString> error;
    store.write(name, value, [&](const QString& why) { error = why; });
    (void)QTest::qWaitFor([&] { return error.has_value(); }, kWait);  // no answer: the caller sees none
    return error;
}

// What the keyring itself holds for `name`, through QtKeychain directly.
std::optional<QString> inKeyring(const QString& service, const QString& name)
{
    QKeychain::ReadPasswordJob job(service);
    job.setAutoDelete(false);
    job.setKey(name);
    QSignalSpy finished(&job, &QKeychain::Job::finished);
    job.start();
    if (!finished.wait(kWait) || job.error() != QKeychain::NoError)
        return std::nullopt;
    return job.textData();
}

} // namespace

class TestSecretStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    bool m_expectKeyring = false;
    QString m_service;

private slots:
    void initTestCase()
    {
        const QByteArray expect = qgetenv("PONDER_EXPECT_KEYRING");
        QVERIFY2(expect == "1" || expect == "0", "run through CTest: PONDER_EXPECT_KEYRING says which run this is");
        m_expectKeyring = expect == "1";
        if (m_expectKeyring)
            QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "no session bus: the keyring run needs one");
        else
            QVERIFY2(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "the run without a keyring must have no bus");
        // A service of this run's own, so nothing of a real keyring is touched.
        m_service = QStringLiteral("Ponder-test-%1").arg(QCoreApplication::applicationPid());
        // ChatSettings' keyring service is the application's name: this run's own.
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(m_service);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("config")));
    }

    void movesAnOldKeyFile()
    {
        SecretStore store(m_service, m_dir.path());
        // Without a session bus there is no keyring to ask: files, known at once.
        QCOMPARE(int(store.place()), int(m_expectKeyring ? SecretStore::Place::Unknown : SecretStore::Place::File));
        QCOMPARE(store.whereText().isEmpty(), m_expectKeyring);
        const KeyFile file(store.filePath(QStringLiteral("server-api-key")));
        QVERIFY(file.write(QStringLiteral("sk-old-key")));

        std::optional<bool> moved;
        store.migrate(QStringLiteral("server-api-key"), [&](bool done) { moved = done; });
        QTRY_VERIFY_WITH_TIMEOUT(moved.has_value(), kWait);
        if (m_expectKeyring) {
            QVERIFY2(*moved, "a keyring answers: the key must move into it");
            QCOMPARE(int(store.place()), int(SecretStore::Place::Keyring));
            QVERIFY2(!QFile::exists(file.path()), "the moved key's file must be gone");
            QCOMPARE(inKeyring(m_service, QStringLiteral("server-api-key")), QStringLiteral("sk-old-key"));
            QCOMPARE(store.whereText(), QStringLiteral("Stored in the system keyring"));
            const QString tool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
            if (!tool.isEmpty()) {
                QProcess lookup;
                lookup.start(tool, {QStringLiteral("lookup"), QStringLiteral("server"), m_service,
                                    QStringLiteral("user"), QStringLiteral("server-api-key")});
                QVERIFY(lookup.waitForFinished(kWait));
                QCOMPARE(QString::fromUtf8(lookup.readAllStandardOutput()).trimmed(), QStringLiteral("sk-old-key"));
            }
        } else {
            QVERIFY(!*moved);
            QCOMPARE(int(store.place()), int(SecretStore::Place::File));
            QVERIFY2(QFile::exists(file.path()), "no keyring: the file must stay");
            QCOMPARE(store.whereText(),
                     QStringLiteral("Stored in %1 (no keyring found)").arg(QDir::toNativeSeparators(m_dir.path())));
        }
        QCOMPARE(readBack(store, QStringLiteral("server-api-key")), QStringLiteral("sk-old-key"));
    }

    void writesReadsAndRemoves()
    {
        SecretStore store(m_service, m_dir.path());
        const QString name = QStringLiteral("serve-api-key");
        QCOMPARE(written(store, name, QStringLiteral("sk-new")), QString());
        QCOMPARE(readBack(store, name), QStringLiteral("sk-new"));
        const bool fileThere = QFile::exists(store.filePath(name));
        QCOMPARE(fileThere, !m_expectKeyring);
        if (m_expectKeyring)
            QCOMPARE(inKeyring(m_service, name), QStringLiteral("sk-new"));
        else
            QCOMPARE(KeyFile(store.filePath(name)).read(), QStringLiteral("sk-new"));

        QCOMPARE(written(store, name, QString()), QString());
        QCOMPARE(readBack(store, name), QString());
        QVERIFY(!QFile::exists(store.filePath(name)));
        QVERIFY(!inKeyring(m_service, name));
    }

    // A key in the keyring wins over a stale file, which then goes.
    void readMigratesAFileLeftBeside()
    {
        if (!m_expectKeyring)
            return;  // without a keyring the file is the store: writesReadsAndRemoves covers it
        SecretStore store(m_service, m_dir.path());
        const QString name = QStringLiteral("server-login");
        QVERIFY(KeyFile(store.filePath(name)).write(QStringLiteral("me:pw")));
        QCOMPARE(readBack(store, name), QStringLiteral("me:pw"));
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(store.filePath(name)), kWait);
        QCOMPARE(inKeyring(m_service, name), QStringLiteral("me:pw"));
        QCOMPARE(written(store, name, QString()), QString());
    }

    // The app's settings on first start: an old key file moves into the
    // keyring (the settings file never holds a key), the dialogs still
    // know a key is saved, and the key is read when first needed.
    void settingsMoveTheirKeys()
    {
        const KeyFile old = KeyFile::serverApiKey();
        QVERIFY(old.write(QStringLiteral("sk-from-before")));
        {
            ChatSettings settings;
            settings.setServerUrl(QStringLiteral("http://gpu-box:8000"));
            QVERIFY(settings.hasServerApiKey());
            if (m_expectKeyring) {
                QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(old.path()), kWait);
                QTRY_VERIFY(settings.secretsInKeyring());
                QCOMPARE(settings.secretsWhere(), QStringLiteral("Stored in the system keyring"));
            } else {
                QVERIFY(settings.secretsLoaded());
                QVERIFY(QFile::exists(old.path()));
                QVERIFY2(settings.secretsWhere().endsWith(QStringLiteral("(no keyring found)")),
                         qPrintable(settings.secretsWhere()));
            }
        }
        ChatSettings restarted;
        QVERIFY(restarted.hasServerApiKey());
        QCOMPARE(restarted.secretsLoaded(), !m_expectKeyring);
        bool loaded = false;
        restarted.loadSecrets([&] { loaded = true; });
        QTRY_VERIFY_WITH_TIMEOUT(loaded, kWait);
        QCOMPARE(restarted.serverApiKey(), QStringLiteral("sk-from-before"));
        QFile file(QSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY2(!file.readAll().contains("sk-from-before"), "a key in the settings file");

        // Forgotten: gone from wherever it was.
        restarted.forgetServerCredentials();
        QTRY_VERIFY_WITH_TIMEOUT(!restarted.hasServerApiKey(), kWait);
        QVERIFY(!QFile::exists(old.path()));
        if (m_expectKeyring)
            QTRY_VERIFY_WITH_TIMEOUT(!inKeyring(m_service, QStringLiteral("server-api-key")), kWait);
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
