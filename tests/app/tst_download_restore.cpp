// What an earlier run left in the models folder is untrusted input: anyone
// who can write there can forge a .part.json sidecar or plant a symlink as a
// .part. restore() takes up only downloads of plain file names inside the
// folder over https (or http to a loopback origin the test allowed), and a
// .part that is not a regular file is never opened, truncated or written.
// And a .part another DownloadManager (another Ponder) is writing is left
// to it: the second one fails with "in use by another Ponder".
#include <QtTest>

#include <memory>

#include "download_manager.h"
#include "test_http_server.h"

using ponder::app::DownloadManager;
using ponder::app::DownloadState;
using ponder::test::TestHttpServer;
using Status = DownloadManager::Status;

namespace {

constexpr int kTimeoutMs = 15000;

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

Status statusOf(const DownloadManager& manager, const QString& id)
{
    const auto info = manager.info(id);
    return info ? info->status : Status::Failed;
}

} // namespace

class TestDownloadRestore : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;      // the models folder
    std::unique_ptr<QTemporaryDir> m_outside;  // somewhere a forged sidecar must not reach
    std::unique_ptr<TestHttpServer> m_server;
    const QByteArray m_data = QByteArray(50000, 'm');

    std::unique_ptr<DownloadManager> makeManager()
    {
        auto manager = std::make_unique<DownloadManager>();
        manager->setModelsFolder(m_dir->path());
        manager->setRetryDelayMs(5);
        manager->setMaxRetries(1);
        return manager;
    }

    // A sidecar beside `sidecarName` for a download of `url` to `file`, with
    // `bytesDone` bytes claimed.
    void writeSidecar(const QString& sidecarName, const QString& url, const QString& file, qint64 bytesDone = 0)
    {
        DownloadState state;
        state.url = url;
        state.size = m_data.size();
        state.bytesDone = bytesDone;
        state.download = QJsonObject{
            {QStringLiteral("id"), QStringLiteral("model.gguf")},
            {QStringLiteral("name"), QStringLiteral("model.gguf")},
            {QStringLiteral("parts"), QJsonArray{QJsonObject{{QStringLiteral("url"), url},
                                                             {QStringLiteral("file"), file},
                                                             {QStringLiteral("size"), double(m_data.size())},
                                                             {QStringLiteral("sha256"), QString()}}}},
        };
        QVERIFY(state.write(m_dir->filePath(sidecarName)));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_outside = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid() && m_outside->isValid());
        m_server = std::make_unique<TestHttpServer>();
        QVERIFY(m_server->listen());
        m_server->serve(QStringLiteral("/model.gguf"), m_data);
    }

    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
        m_outside.reset();
    }

    void sidecarsPointingElsewhereAreIgnored_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("url");  // "loopback": the test server
        QTest::addColumn<bool>("allowLoopback");
        QTest::addColumn<bool>("restored");
        QTest::newRow("plain name, allowed loopback") << "model.gguf" << "loopback" << true << true;
        QTest::newRow("../../evil") << "../../evil" << "loopback" << true << false;
        QTest::newRow("absolute path") << "outside" << "loopback" << true << false;
        QTest::newRow("in a subfolder") << "sub/model.gguf" << "loopback" << true << false;
        QTest::newRow("http to another host") << "model.gguf" << "http://example.com/model.gguf" << true << false;
        QTest::newRow("loopback http not allowed") << "model.gguf" << "loopback" << false << false;
        QTest::newRow("https") << "model.gguf" << "https://huggingface.co/m/resolve/abc/model.gguf" << false << true;
    }

    void sidecarsPointingElsewhereAreIgnored()
    {
        QFETCH(QString, file);
        QFETCH(QString, url);
        QFETCH(bool, allowLoopback);
        QFETCH(bool, restored);
        const QString evil = m_outside->filePath(QStringLiteral("evil"));
        if (file == QLatin1String("outside"))
            file = evil;
        if (url == QLatin1String("loopback"))
            url = m_server->url(QStringLiteral("/model.gguf")).toString();
        writeSidecar(QStringLiteral("model.gguf.part.json"), url, file);

        auto manager = makeManager();
        if (allowLoopback)
            QVERIFY(manager->allowLoopbackHttp(m_server->url(QStringLiteral("/"))));
        const QStringList ids = manager->restore();
        QCOMPARE(ids.size(), restored ? 1 : 0);
        for (const QString& id : ids) {
            // Held in a local: a range-for over info(id)->files would read the
            // files of a temporary destroyed before the loop runs.
            const auto info = manager->info(id);
            QVERIFY(info);
            for (const QString& destination : info->files)
                QCOMPARE(QFileInfo(destination).absolutePath(), QFileInfo(m_dir->path()).absoluteFilePath());
        }
        QVERIFY(!QFile::exists(evil));
    }

    // Only loopback origins can be allowed plain http.
    void onlyLoopbackHttpCanBeAllowed()
    {
        auto manager = makeManager();
        QVERIFY(!manager->allowLoopbackHttp(QUrl(QStringLiteral("http://example.com/"))));
        QVERIFY(!manager->allowLoopbackHttp(QUrl(QStringLiteral("http://10.0.0.1:8080/"))));
        QVERIFY(!manager->allowLoopbackHttp(QUrl(QStringLiteral("ftp://127.0.0.1/"))));
        QVERIFY(manager->allowLoopbackHttp(QUrl(QStringLiteral("http://[::1]:8080/"))));
        QVERIFY(manager->allowLoopbackHttp(m_server->url(QStringLiteral("/"))));
    }

    // A .part that is a symlink to a file elsewhere: resuming must not cut,
    // overwrite or hash through it.
    void symlinkedPartIsLeftAlone_data()
    {
        QTest::addColumn<bool>("restore");
        QTest::newRow("restore() and resume()") << true;
        QTest::newRow("start() again") << false;
    }

    void symlinkedPartIsLeftAlone()
    {
        QFETCH(bool, restore);
        const QString target = m_outside->filePath(QStringLiteral("precious"));
        const QByteArray precious("the user's own file, longer than the state claims");
        {
            QFile file(target);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(precious);
        }
        const QString url = m_server->url(QStringLiteral("/model.gguf")).toString();
        writeSidecar(QStringLiteral("model.gguf.part.json"), url, QStringLiteral("model.gguf"), 5);
        QVERIFY(QFile::link(target, m_dir->filePath(QStringLiteral("model.gguf.part"))));

        auto manager = makeManager();
        QVERIFY(manager->allowLoopbackHttp(m_server->url(QStringLiteral("/"))));
        QString id;
        if (restore) {
            QCOMPARE(manager->restore(), QStringList{QStringLiteral("model.gguf")});
            id = QStringLiteral("model.gguf");
            manager->resume(id);
        } else {
            id = manager->startDownload(QUrl(url), QStringLiteral("model.gguf"), m_data.size());
        }
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*manager, id), Status::Failed, kTimeoutMs);
        QVERIFY2(manager->info(id)->errorString.contains(QStringLiteral("not a regular file")),
                 qPrintable(manager->info(id)->errorString));
        manager.reset();
        QCOMPARE(readAll(target), precious);
        QVERIFY(QFileInfo(m_dir->filePath(QStringLiteral("model.gguf.part"))).isSymLink());
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("model.gguf"))));
    }

    void partInUseByAnotherManagerIsLeftAlone()
    {
        m_server->stallAfter(QStringLiteral("/model.gguf"), 20000);
        auto first = makeManager();
        first->setStallTimeoutMs(60000);
        const QUrl url = m_server->url(QStringLiteral("/model.gguf"));
        const QString id = first->startDownload(url, QStringLiteral("model.gguf"), m_data.size());
        QTRY_COMPARE_WITH_TIMEOUT(first->info(id)->bytesDone, 20000, kTimeoutMs);

        auto second = makeManager();
        QCOMPARE(second->startDownload(url, QStringLiteral("model.gguf"), m_data.size()), id);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*second, id), Status::Failed, kTimeoutMs);
        QVERIFY2(second->info(id)->errorString.contains(QStringLiteral("in use by another Ponder")),
                 qPrintable(second->info(id)->errorString));
        QCOMPARE(statusOf(*first, id), Status::Downloading);
        QCOMPARE(QFileInfo(m_dir->filePath(QStringLiteral("model.gguf.part"))).size(), 20000);
        second->cancel(id);  // must not delete the first one's files either
        QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("model.gguf.part"))));

        first.reset();  // the other Ponder quits: its .part is free
        second = makeManager();
        QCOMPARE(second->startDownload(url, QStringLiteral("model.gguf"), m_data.size()), id);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*second, id), Status::Finished, kTimeoutMs);
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=20000-"));
        QCOMPARE(readAll(m_dir->filePath(QStringLiteral("model.gguf"))), m_data);
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("model.gguf.part.lock"))));
    }
};

QTEST_GUILESS_MAIN(TestDownloadRestore)
#include "tst_download_restore.moc"
