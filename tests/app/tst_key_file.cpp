// The server's API key: in a file of its own, owner-only from the moment it
// exists (whatever the umask), never in the settings file; a key an older
// Ponder left in the settings file moves out; a key that cannot be saved
// privately is not saved, and ChatSettings says why.
#include <QtTest>

#include <QSettings>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

#include "chat_settings.h"
#include "key_file.h"

using ponder::app::ChatSettings;
using ponder::app::KeyFile;

namespace {

constexpr QFileDevice::Permissions kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                             QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteOther | QFileDevice::ExeOther;

QByteArray settingsFileBytes()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestKeyFile : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-key-tests"));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir->path());
        QSettings().clear();
    }

    void keyIsSavedPrivatelyAndNotInTheSettings()
    {
        {
            ChatSettings settings;
            settings.setServerUrl(QStringLiteral("http://127.0.0.1:8000"));
            settings.setServerApiKey(QStringLiteral("  sk-secret-1234 "));
            QCOMPARE(settings.serverKeyError(), QString());
        }
        const KeyFile file = KeyFile::serverApiKey();
        QVERIFY(QFile::exists(file.path()));
        QCOMPARE(QFile::permissions(file.path()) & kOthers, QFileDevice::Permissions());
        QVERIFY(!settingsFileBytes().contains("sk-secret"));
        QCOMPARE(ChatSettings().serverApiKey(), QString("sk-secret-1234"));

        ChatSettings().setServerApiKey(QString());  // forgetting it deletes the file
        QVERIFY(!QFile::exists(file.path()));
        QCOMPARE(ChatSettings().serverApiKey(), QString());
    }

#ifdef Q_OS_UNIX
    // With a umask that lets everyone read, the file is still owner-only,
    // and a file already there with loose permissions is replaced.
    void privateWhateverTheUmask()
    {
        const KeyFile file(m_dir->filePath(QStringLiteral("key")));
        {
            QFile loose(file.path());
            QVERIFY(loose.open(QIODevice::WriteOnly));
            loose.write("old");
        }
        QVERIFY(QFile::setPermissions(file.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                       QFileDevice::ReadOther | QFileDevice::ReadGroup));
        const mode_t old = ::umask(0);
        const auto written = file.write(QStringLiteral("sk-new"));
        ::umask(old);
        QVERIFY2(written, qPrintable(written ? QString() : written.error()));
        QCOMPARE(QFile::permissions(file.path()) & kOthers, QFileDevice::Permissions());
        QCOMPARE(file.read(), QString("sk-new"));
        QVERIFY(!QFile::exists(file.path() + QStringLiteral(".new")));
    }
#endif

    void keyFromAnOlderPonderMovesOutOfTheSettings()
    {
        QSettings().setValue(QStringLiteral("chat/serverApiKey"), QStringLiteral("sk-legacy"));
        QVERIFY(settingsFileBytes().contains("sk-legacy"));
        ChatSettings settings;
        QCOMPARE(settings.serverApiKey(), QString("sk-legacy"));
        QVERIFY(!settingsFileBytes().contains("sk-legacy"));
        QCOMPARE(KeyFile::serverApiKey().read(), QString("sk-legacy"));
    }

    // user:password@ in a server address (basic auth in front of a server)
    // is not kept in the settings file nor shown again: the address is saved
    // without it, and it goes to a private file of its own.
    void passwordInTheAddressIsSavedApart()
    {
        {
            ChatSettings settings;
            settings.setServerUrl(QStringLiteral(" http://alice:s3cret@gpu-box:8000/v1 "));
            QCOMPARE(settings.serverUrl(), QStringLiteral("http://gpu-box:8000/v1"));
            QCOMPARE(settings.serverLogin(), QStringLiteral("alice:s3cret"));
            QVERIFY(settings.hasServerLogin());
            QCOMPARE(settings.serverKeyError(), QString());
        }
        QVERIFY(!settingsFileBytes().contains("s3cret"));
        QVERIFY(!settingsFileBytes().contains("alice"));
        const KeyFile login = KeyFile::serverLogin();
        QCOMPARE(QFile::permissions(login.path()) & kOthers, QFileDevice::Permissions());
        QCOMPARE(login.read(), QStringLiteral("alice:s3cret"));
        const ChatSettings reread;
        QCOMPARE(reread.serverUrl(), QStringLiteral("http://gpu-box:8000/v1"));
        QCOMPARE(reread.serverLogin(), QStringLiteral("alice:s3cret"));
    }

    void passwordFromAnOlderPonderMovesOutOfTheSettings()
    {
        QSettings().setValue(QStringLiteral("chat/serverUrl"), QStringLiteral("https://bob:p%40ss@api.example.com"));
        QVERIFY(settingsFileBytes().contains("p%40ss"));
        const ChatSettings settings;
        QCOMPARE(settings.serverUrl(), QStringLiteral("https://api.example.com"));
        QVERIFY(!settingsFileBytes().contains("p%40ss"));
        QVERIFY(!settingsFileBytes().contains("bob"));
        QCOMPARE(KeyFile::serverLogin().read(), QStringLiteral("bob:p%40ss"));
    }

    // The key and the password belong to the address they were saved with:
    // another path on it keeps them, another origin forgets them.
    void anotherAddressForgetsTheKeyAndPassword()
    {
        ChatSettings settings;
        settings.setServerUrl(QStringLiteral("http://alice:s3cret@gpu-box:8000"));
        settings.setServerApiKey(QStringLiteral("sk-box"));
        QVERIFY(settings.isServerUrl(QStringLiteral("gpu-box:8000/v1")));
        QVERIFY(settings.isServerUrl(QStringLiteral("HTTP://GPU-BOX:8000/")));
        QVERIFY(!settings.isServerUrl(QStringLiteral("http://gpu-box:8001")));
        QVERIFY(!settings.isServerUrl(QStringLiteral("https://gpu-box:8000")));
        QVERIFY(!settings.isServerUrl(QStringLiteral("http://gpu-box.evil.example:8000")));
        settings.setServerUrl(QStringLiteral("http://gpu-box:8000/v1"));
        QCOMPARE(settings.serverApiKey(), QStringLiteral("sk-box"));
        QCOMPARE(settings.serverLogin(), QStringLiteral("alice:s3cret"));
        settings.setServerUrl(QStringLiteral("http://other-box:8000"));
        QCOMPARE(settings.serverApiKey(), QString());
        QCOMPARE(settings.serverLogin(), QString());
        QVERIFY(!QFile::exists(KeyFile::serverApiKey().path()));
        QVERIFY(!QFile::exists(KeyFile::serverLogin().path()));
    }

    // Where the key cannot be written (here a folder is in its way), it is
    // kept for this session only and the user is told.
    void unsavableKeyIsNotSavedAndSaysWhy()
    {
        const KeyFile file = KeyFile::serverApiKey();
        QVERIFY(QDir().mkpath(file.path()));
        ChatSettings settings;
        settings.setServerApiKey(QStringLiteral("sk-unsaved"));
        QCOMPARE(settings.serverApiKey(), QString("sk-unsaved"));
        QVERIFY(settings.serverKeyError().contains(QStringLiteral("could not save the key")));
        QVERIFY(!settingsFileBytes().contains("sk-unsaved"));
        QVERIFY(!QFile::exists(file.path() + QStringLiteral(".new")));
        QCOMPARE(ChatSettings().serverApiKey(), QString());
    }
};

QTEST_GUILESS_MAIN(TestKeyFile)
#include "tst_key_file.moc"
