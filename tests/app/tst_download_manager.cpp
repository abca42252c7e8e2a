// The downloader against a local HTTP server that drops, stalls, fails and
// corrupts on request: verified downloads, resume after a drop, a pause and
// a restart (with a state that disagrees with its .part), stalls and 5xx
// retried with back-off, 4xx failing at once, checksum mismatches, redirects,
// cancel, a full disk, several downloads at once and split models.
#include <QtTest>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#endif

#include "download_manager.h"
#include "test_http_server.h"
#include "transfer_rate.h"

using ponder::app::DownloadManager;
using ponder::app::DownloadPart;
using ponder::app::DownloadRequest;
using ponder::app::DownloadState;
using ponder::app::TransferRate;
using ponder::test::TestHttpServer;
using Status = DownloadManager::Status;

namespace {

constexpr int kTimeoutMs = 15000;

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (char& c : data)
        c = char(generator.bounded(256));
    return data;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString sha(const QByteArray& data)
{
    return QString::fromLatin1(TestHttpServer::sha256Hex(data));
}

Status statusOf(const DownloadManager& manager, const QString& id)
{
    const auto info = manager.info(id);
    return info ? info->status : Status::Failed;
}

qint64 bytesDoneOf(const DownloadManager& manager, const QString& id)
{
    const auto info = manager.info(id);
    return info ? info->bytesDone : -1;
}

QString errorOf(const DownloadManager& manager, const QString& id)
{
    const auto info = manager.info(id);
    return info ? info->errorString : QStringLiteral("(no such download)");
}

} // namespace

class TestDownloadManager : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestHttpServer> m_server;
    const QByteArray m_data = randomBytes(300 * 1000, 7);

    QString path(const QString& name) const { return m_dir->filePath(name); }

    std::unique_ptr<DownloadManager> makeManager(int stallTimeoutMs = 5000)
    {
        auto manager = std::make_unique<DownloadManager>();
        manager->setModelsFolder(m_dir->path());
        manager->setStallTimeoutMs(stallTimeoutMs);
        manager->setRetryDelayMs(5);
        manager->setProgressIntervalMs(20);
        return manager;
    }

    DownloadRequest request(const QString& urlPath, const QString& file, bool withExpectations = true) const
    {
        DownloadRequest r;
        r.parts.append(DownloadPart{m_server->url(urlPath), file, withExpectations ? m_data.size() : -1,
                                    withExpectations ? sha(m_data) : QString()});
        return r;
    }

    // Waits for the status; on a timeout the failure message shows the download's error.
    static bool waitFor(const DownloadManager& manager, const QString& id, Status status, int timeoutMs = kTimeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (statusOf(manager, id) != status && !deadline.hasExpired())
            QTest::qWait(10);
        if (statusOf(manager, id) != status)
            qWarning() << "status" << statusOf(manager, id) << "error:" << errorOf(manager, id);
        return statusOf(manager, id) == status;
    }

    void verifyNoLeftovers(const QString& file)
    {
        QVERIFY2(!QFile::exists(path(file)), qPrintable(file));
        QVERIFY(!QFile::exists(DownloadState::partPath(path(file))));
        QVERIFY(!QFile::exists(DownloadState::statePath(path(file))));
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_server = std::make_unique<TestHttpServer>();
        QVERIFY(m_server->listen());
        m_server->serve(QStringLiteral("/model.gguf"), m_data);
    }

    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
    }

    void plainDownloadIsVerified()
    {
        auto manager = makeManager();
        QSignalSpy finished(manager.get(), &DownloadManager::finished);
        QSignalSpy progress(manager.get(), &DownloadManager::progressChanged);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QCOMPARE(id, QStringLiteral("model.gguf"));
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toStringList(), QStringList{path(QStringLiteral("model.gguf"))});
        QVERIFY(progress.count() >= 2);
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
        QVERIFY(!QFile::exists(path(QStringLiteral("model.gguf.part"))));
        QVERIFY(!QFile::exists(path(QStringLiteral("model.gguf.part.json"))));
        const auto info = manager->info(id);
        QCOMPARE(info->bytesDone, m_data.size());
        QCOMPARE(info->bytesTotal, m_data.size());
        QCOMPARE(info->errorString, QString());
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")), QList<QByteArray>{QByteArray()});
        QCOMPARE(manager->activeCount(), 0);
    }

    void resumesAfterADroppedConnection()
    {
        m_server->dropAfter(QStringLiteral("/model.gguf"), 100000);
        auto manager = makeManager();
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")),
                 (QList<QByteArray>{QByteArray(), QByteArray("bytes=100000-")}));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
    }

    void pauseAndResume()
    {
        m_server->stallAfter(QStringLiteral("/model.gguf"), 80000);
        auto manager = makeManager(60000);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*manager, id), 80000, kTimeoutMs);
        manager->pause(id);
        QCOMPARE(statusOf(*manager, id), Status::Paused);
        QCOMPARE(manager->activeCount(), 0);
        const auto state = DownloadState::read(path(QStringLiteral("model.gguf.part.json")));
        QVERIFY(state);
        QCOMPARE(state->bytesDone, 80000);
        QCOMPARE(state->sha256, sha(m_data));
        QCOMPARE(QFileInfo(path(QStringLiteral("model.gguf.part"))).size(), 80000);
        manager->resume(id);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=80000-"));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
    }

    // A server that answers a Range request with 200 sends the whole file:
    // the download starts over, hash included.
    void ignoredRangeStartsOver()
    {
        m_server->stallAfter(QStringLiteral("/model.gguf"), 80000);
        auto manager = makeManager(60000);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*manager, id), 80000, kTimeoutMs);
        manager->pause(id);
        m_server->setIgnoreRange(QStringLiteral("/model.gguf"), true);
        manager->resume(id);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=80000-"));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
    }

    void resumesAfterARestart_data()
    {
        QTest::addColumn<bool>("restore");
        QTest::newRow("start again") << false;
        QTest::newRow("restore()") << true;
    }

    void resumesAfterARestart()
    {
        QFETCH(bool, restore);
        m_server->stallAfter(QStringLiteral("/model.gguf"), 120000);
        auto first = makeManager(60000);
        const QString id = first->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*first, id), 120000, kTimeoutMs);
        first.reset();  // the app quits mid-download
        QCOMPARE(DownloadState::read(path(QStringLiteral("model.gguf.part.json")))->bytesDone, 120000);

        auto second = makeManager();
        QList<Status> statuses;
        connect(second.get(), &DownloadManager::statusChanged, this,
                [&](const QString& changed) { statuses.append(statusOf(*second, changed)); });
        if (restore) {
            QVERIFY(second->allowLoopbackHttp(m_server->url(QStringLiteral("/"))));
            QCOMPARE(second->restore(), QStringList{id});
            const auto info = second->info(id);
            QCOMPARE(info->status, Status::Paused);
            QCOMPARE(info->bytesDone, 120000);
            QCOMPARE(info->bytesTotal, m_data.size());
            second->resume(id);
        } else {
            QCOMPARE(second->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf"))), id);
        }
        QVERIFY(waitFor(*second, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=120000-"));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
        QVERIFY(statuses.contains(Status::Checking));  // the partial bytes were re-hashed
    }

    // A state and a .part that disagree: only bytes both vouch for are kept.
    void restartWithAnInconsistentState_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QByteArray>("expectedRange");
        QTest::newRow("part shorter than its state") << "shorter" << QByteArray("bytes=50000-");
        QTest::newRow("part longer than its state") << "longer" << QByteArray("bytes=120000-");
        QTest::newRow("part damaged inside") << "flipped" << QByteArray();
        QTest::newRow("no state") << "no state" << QByteArray();
        QTest::newRow("garbage state") << "garbage" << QByteArray();
        QTest::newRow("state of another URL") << "other url" << QByteArray();
    }

    void restartWithAnInconsistentState()
    {
        QFETCH(QString, damage);
        QFETCH(QByteArray, expectedRange);
        m_server->stallAfter(QStringLiteral("/model.gguf"), 120000);
        auto first = makeManager(60000);
        const QString id = first->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*first, id), 120000, kTimeoutMs);
        first.reset();

        const QString part = path(QStringLiteral("model.gguf.part"));
        const QString statePath = path(QStringLiteral("model.gguf.part.json"));
        QFile file(part);
        QVERIFY(file.open(QIODevice::ReadWrite));
        if (damage == "shorter") {
            QVERIFY(file.resize(50000));
        } else if (damage == "longer") {
            QVERIFY(file.seek(file.size()));
            file.write(QByteArray(777, 'x'));  // written after the last checkpoint
        } else if (damage == "flipped") {
            QVERIFY(file.seek(1000));
            file.write("garbage");  // the re-hash cannot see it; the final check must
        }
        file.close();
        if (damage == "no state")
            QVERIFY(QFile::remove(statePath));
        if (damage == "garbage") {
            QFile state(statePath);
            QVERIFY(state.open(QIODevice::WriteOnly | QIODevice::Truncate));
            state.write("{\"version\": 1, \"url\": ");
        }
        if (damage == "other url") {
            auto state = DownloadState::read(statePath);
            state->url = m_server->url(QStringLiteral("/other.gguf")).toString();
            QVERIFY(state->write(statePath));
        }

        auto second = makeManager();
        second->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        if (damage == "flipped") {
            // Resumed from the damaged bytes; the hash check keeps the result out of use.
            QVERIFY(waitFor(*second, id, Status::Failed));
            QVERIFY(errorOf(*second, id).contains(sha(m_data)));
            verifyNoLeftovers(QStringLiteral("model.gguf"));
            second->resume(id);  // the user tries again: from scratch
        }
        QVERIFY(waitFor(*second, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), expectedRange);
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
        QVERIFY(!QFile::exists(part));
        QVERIFY(!QFile::exists(statePath));
    }

    void stallIsDetectedAndRetried()
    {
        m_server->stallAfter(QStringLiteral("/model.gguf"), 50000);
        auto manager = makeManager(300);
        manager->setRetryDelayMs(500);  // long enough to be seen waiting
        QElapsedTimer clock;
        clock.start();
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*manager, id), Status::Retrying, kTimeoutMs);
        QVERIFY2(manager->info(id)->retryReason.contains(QStringLiteral("no data")),
                 qPrintable(manager->info(id)->retryReason));
        QVERIFY(waitFor(*manager, id, Status::Finished));
        // Qt's default (coarse) timers may fire up to 5% early, so the stall
        // and the back-off together take at least 95% of their nominal sum.
        QVERIFY2(clock.elapsed() >= (300 + 500) * 95 / 100, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")),
                 (QList<QByteArray>{QByteArray(), QByteArray("bytes=50000-")}));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
    }

    void serverErrorsAreRetriedWithBackOff()
    {
        m_server->failWith(QStringLiteral("/model.gguf"), 500, 3);
        auto manager = makeManager();
        manager->setRetryDelayMs(40);
        QElapsedTimer clock;
        clock.start();
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QVERIFY2(clock.elapsed() >= (40 + 80 + 160) * 95 / 100, qPrintable(QString::number(clock.elapsed())));  // doubling waits
        QCOMPARE(m_server->requestCount(QStringLiteral("/model.gguf")), 4);
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
    }

    void givesUpAfterMaxRetries()
    {
        m_server->failWith(QStringLiteral("/model.gguf"), 503, TestHttpServer::kAlways);
        auto manager = makeManager();
        manager->setMaxRetries(2);
        QSignalSpy failed(manager.get(), &DownloadManager::failed);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QVERIFY(waitFor(*manager, id, Status::Failed));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(1).toString(),
                 QStringLiteral("Download of model.gguf failed: the server answered 503 Service Unavailable "
                                "(gave up after 3 tries)"));
        QCOMPARE(m_server->requestCount(QStringLiteral("/model.gguf")), 3);
    }

    void clientErrorsFailAtOnce_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("words");
        QTest::newRow("404") << 404 << "404 Not Found";
        QTest::newRow("403") << 403 << "403 Forbidden";
    }

    void clientErrorsFailAtOnce()
    {
        QFETCH(int, status);
        QFETCH(QString, words);
        m_server->failWith(QStringLiteral("/model.gguf"), status, TestHttpServer::kAlways);
        auto manager = makeManager();
        manager->setRetryDelayMs(2000);  // a retry would show in the time taken
        QSignalSpy failed(manager.get(), &DownloadManager::failed);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QVERIFY(failed.wait(kTimeoutMs));
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("Download of model.gguf failed: the server answered ") + words);
        QCOMPARE(errorOf(*manager, id), failed.first().at(1).toString());
        QCOMPARE(m_server->requestCount(QStringLiteral("/model.gguf")), 1);
        verifyNoLeftovers(QStringLiteral("model.gguf"));
    }

    void checksumMismatchKeepsTheFileOutOfUse()
    {
        m_server->corruptByte(QStringLiteral("/model.gguf"), 123456);
        QByteArray corrupted = m_data;
        corrupted[123456] = char(~corrupted[123456]);
        auto manager = makeManager();
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QVERIFY(waitFor(*manager, id, Status::Failed));
        const QString message = errorOf(*manager, id);
        QVERIFY2(message.startsWith(QStringLiteral("Download of model.gguf failed: the file's SHA-256 is ")), qPrintable(message));
        QVERIFY2(message.contains(sha(corrupted)) && message.contains(sha(m_data)), qPrintable(message));
        verifyNoLeftovers(QStringLiteral("model.gguf"));
    }

    // Like Hugging Face: the resolve URL redirects to a CDN and only the
    // redirect carries X-Linked-Etag, which becomes the expected SHA-256.
    void redirectIsFollowedAndItsChecksumUsed_data()
    {
        QTest::addColumn<bool>("corrupt");
        QTest::newRow("intact") << false;
        QTest::newRow("corrupted by the CDN") << true;
    }

    void redirectIsFollowedAndItsChecksumUsed()
    {
        QFETCH(bool, corrupt);
        m_server->serve(QStringLiteral("/cdn/model.gguf"), m_data);
        m_server->setLinkedHeaders(QStringLiteral("/cdn/model.gguf"), false);
        m_server->redirect(QStringLiteral("/resolve/main/model.gguf"), QStringLiteral("/cdn/model.gguf"));
        if (corrupt)
            m_server->corruptByte(QStringLiteral("/cdn/model.gguf"), 10);
        auto manager = makeManager();
        const QString id =
            manager->start(request(QStringLiteral("/resolve/main/model.gguf"), QStringLiteral("model.gguf"), false));
        QVERIFY(waitFor(*manager, id, corrupt ? Status::Failed : Status::Finished));
        QCOMPARE(m_server->requestCount(QStringLiteral("/resolve/main/model.gguf")), 1);
        QCOMPARE(m_server->requestCount(QStringLiteral("/cdn/model.gguf")), 1);
        if (corrupt) {
            QVERIFY2(errorOf(*manager, id).contains(QStringLiteral("should be ") + sha(m_data)),
                     qPrintable(errorOf(*manager, id)));
            verifyNoLeftovers(QStringLiteral("model.gguf"));
        } else {
            QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
        }
    }

    void cancelRemovesThePartAndItsState()
    {
        m_server->stallAfter(QStringLiteral("/model.gguf"), 60000);
        auto manager = makeManager(60000);
        QSignalSpy downloads(manager.get(), &DownloadManager::downloadsChanged);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*manager, id), 60000, kTimeoutMs);
        QVERIFY(QFile::exists(path(QStringLiteral("model.gguf.part"))));
        QVERIFY(QFile::exists(path(QStringLiteral("model.gguf.part.json"))));
        manager->cancel(id);
        QVERIFY(manager->downloadIds().isEmpty());
        QCOMPARE(downloads.count(), 2);
        QCOMPARE(manager->activeCount(), 0);
        verifyNoLeftovers(QStringLiteral("model.gguf"));
    }

    void notEnoughDiskSpace_data()
    {
        QTest::addColumn<bool>("sizeKnown");
        QTest::newRow("size known before") << true;
        QTest::newRow("size from the server") << false;
    }

    void notEnoughDiskSpace()
    {
        QFETCH(bool, sizeKnown);
        auto manager = makeManager();
        QString probed;
        manager->setFreeSpaceProbe([&probed](const QString& folder) {
            probed = folder;
            return qint64(1000);
        });
        const QString id =
            manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf"), sizeKnown));
        QVERIFY(waitFor(*manager, id, Status::Failed));
        QCOMPARE(QDir(probed), QDir(m_dir->path()));
        const QString message = errorOf(*manager, id);
        QVERIFY2(message.startsWith(QStringLiteral("Download of model.gguf failed: not enough disk space")), qPrintable(message));
        QCOMPARE(m_server->requestCount(QStringLiteral("/model.gguf")), sizeKnown ? 0 : 1);
        QVERIFY(!QFile::exists(path(QStringLiteral("model.gguf"))));
        QCOMPARE(m_server->bodyBytesSent(QStringLiteral("/model.gguf")) > 0, !sizeKnown);  // sent, but not kept
        if (QFile::exists(path(QStringLiteral("model.gguf.part"))))
            QCOMPARE(QFileInfo(path(QStringLiteral("model.gguf.part"))).size(),
                     DownloadState::read(path(QStringLiteral("model.gguf.part.json")))->bytesDone);
    }

    // A real write failure half-way: the file size limit makes write() fail
    // as a full disk would. What is left must be consistent and resumable.
    void writeFailureLeavesAConsistentPart()
    {
#ifdef Q_OS_UNIX
        rlimit saved{};
        QVERIFY(getrlimit(RLIMIT_FSIZE, &saved) == 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = saved;
        limited.rlim_cur = 100000;
        QVERIFY(setrlimit(RLIMIT_FSIZE, &limited) == 0);
        auto manager = makeManager();
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf")));
        const bool failed = waitFor(*manager, id, Status::Failed);
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, previousHandler);
        QVERIFY(failed);
        const QString message = errorOf(*manager, id);
        QVERIFY2(message.startsWith(QStringLiteral("Download of model.gguf failed: could not write to ")), qPrintable(message));
        QVERIFY(!QFile::exists(path(QStringLiteral("model.gguf"))));
        const QByteArray part = readAll(path(QStringLiteral("model.gguf.part")));
        const auto state = DownloadState::read(path(QStringLiteral("model.gguf.part.json")));
        QVERIFY(state);
        QCOMPARE(part.size(), 100000);
        QCOMPARE(state->bytesDone, part.size());
        QCOMPARE(part, m_data.left(part.size()));

        manager->resume(id);  // space was freed
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=100000-"));
        QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
#else
        QSKIP("needs RLIMIT_FSIZE");
#endif
    }

    void severalDownloadsAtOnce()
    {
        const QStringList names{QStringLiteral("a.gguf"), QStringLiteral("b.gguf"), QStringLiteral("c.gguf")};
        QList<QByteArray> contents;
        for (int i = 0; i < names.size(); ++i) {
            contents.append(randomBytes(200 * 1000, quint32(100 + i)));
            m_server->serve(QLatin1Char('/') + names[i], contents[i]);
            m_server->setRate(QLatin1Char('/') + names[i], 250 * 1000);
        }
        auto manager = makeManager();
        QStringList ids;
        for (int i = 0; i < names.size(); ++i)
            ids.append(manager->startDownload(m_server->url(QLatin1Char('/') + names[i]), names[i],
                                              contents[i].size(), sha(contents[i])));
        QCOMPARE(manager->downloadIds(), ids);
        const auto allRunning = [&] {
            for (const QString& id : ids) {
                const auto info = manager->info(id);
                if (info->status != Status::Downloading || info->bytesDone == 0 || info->bytesDone == info->bytesTotal)
                    return false;
            }
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(allRunning(), kTimeoutMs);
        QCOMPARE(manager->activeCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(manager->info(ids[0])->bytesPerSecond > 0 && manager->info(ids[0])->secondsLeft >= 0,
                                 kTimeoutMs);
        for (int i = 0; i < names.size(); ++i) {
            QVERIFY(waitFor(*manager, ids[i], Status::Finished));
            QCOMPARE(readAll(path(names[i])), contents[i]);
        }
        QCOMPARE(manager->activeCount(), 0);
    }

    // Beyond maxConcurrent, downloads wait as Queued and start oldest first
    // as slots free up: by finishing, pausing or cancelling. A paused queued
    // download leaves the queue; resuming it queues it again at its place.
    void downloadsBeyondTheLimitWaitInTheQueue()
    {
        const QStringList names{QStringLiteral("q1.gguf"), QStringLiteral("q2.gguf"), QStringLiteral("q3.gguf"),
                                QStringLiteral("q4.gguf")};
        QList<QByteArray> contents;
        for (int i = 0; i < names.size(); ++i) {
            contents.append(randomBytes(150 * 1000, quint32(200 + i)));
            m_server->serve(QLatin1Char('/') + names[i], contents[i]);
            m_server->setRate(QLatin1Char('/') + names[i], 200 * 1000);
        }
        auto manager = makeManager();
        manager->setMaxConcurrent(2);
        QStringList ids;
        for (int i = 0; i < names.size(); ++i)
            ids.append(manager->startDownload(m_server->url(QLatin1Char('/') + names[i]), names[i],
                                              contents[i].size(), sha(contents[i])));
        QCOMPARE(statusOf(*manager, ids[0]), Status::Downloading);
        QCOMPARE(statusOf(*manager, ids[1]), Status::Downloading);
        QCOMPARE(statusOf(*manager, ids[2]), Status::Queued);
        QCOMPARE(statusOf(*manager, ids[3]), Status::Queued);
        QCOMPARE(manager->activeCount(), 2);
        QCOMPARE(m_server->requestCount(QStringLiteral("/q3.gguf")), 0);

        // Pausing a queued one takes it out of the queue; q4 is next in line after q3.
        manager->pause(ids[2]);
        QCOMPARE(statusOf(*manager, ids[2]), Status::Paused);
        // Pausing a running one frees its slot for the oldest queued download.
        QTRY_VERIFY_WITH_TIMEOUT(manager->info(ids[0])->bytesDone > 0, kTimeoutMs);
        manager->pause(ids[0]);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*manager, ids[3]), Status::Downloading, kTimeoutMs);
        QCOMPARE(statusOf(*manager, ids[2]), Status::Paused);
        QCOMPARE(manager->activeCount(), 2);
        // Every slot is taken: resuming queues.
        manager->resume(ids[0]);
        QCOMPARE(statusOf(*manager, ids[0]), Status::Queued);
        manager->resume(ids[2]);
        QCOMPARE(statusOf(*manager, ids[2]), Status::Queued);
        // Cancelling a running one frees a slot too: q1 (older) goes before q3.
        manager->cancel(ids[3]);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(*manager, ids[0]), Status::Downloading, kTimeoutMs);
        QCOMPARE(statusOf(*manager, ids[2]), Status::Queued);
        QVERIFY(!QFile::exists(path(QStringLiteral("q4.gguf.part"))));

        // Finishing frees slots until the queue is empty; never more than two at once.
        int mostActive = 0;
        connect(manager.get(), &DownloadManager::activeCountChanged, this,
                [&] { mostActive = qMax(mostActive, manager->activeCount()); });
        for (int i : {0, 1, 2}) {
            QVERIFY(waitFor(*manager, ids[i], Status::Finished));
            QCOMPARE(readAll(path(names[i])), contents[i]);
        }
        QVERIFY(mostActive <= 2);
        QCOMPARE(manager->activeCount(), 0);
        // q1 resumed from its .part: a Range request, not the whole file again.
        QVERIFY(m_server->ranges(QStringLiteral("/q1.gguf")).last().startsWith("bytes="));
    }

    void multiPartDownloadIsOneProgress()
    {
        const QByteArray one = randomBytes(150 * 1000, 21);
        const QByteArray two = randomBytes(90 * 1000, 22);
        m_server->serve(QStringLiteral("/m-00001-of-00002.gguf"), one);
        m_server->serve(QStringLiteral("/m-00002-of-00002.gguf"), two);
        m_server->stallAfter(QStringLiteral("/m-00002-of-00002.gguf"), 40000);
        auto manager = makeManager(60000);
        QSignalSpy finished(manager.get(), &DownloadManager::finished);
        const QString id = manager->startParts(
            {QVariantMap{{"url", m_server->url(QStringLiteral("/m-00001-of-00002.gguf"))}, {"file", "m-00001-of-00002.gguf"},
                         {"size", one.size()}, {"sha256", sha(one)}},
             QVariantMap{{"url", m_server->url(QStringLiteral("/m-00002-of-00002.gguf"))}, {"file", "m-00002-of-00002.gguf"},
                         {"size", two.size()}, {"sha256", sha(two)}}},
            QStringLiteral("M Q4_K_M"));
        QCOMPARE(id, QStringLiteral("m.gguf"));
        QCOMPARE(manager->info(id)->bytesTotal, one.size() + two.size());
        QCOMPARE(manager->info(id)->partCount, 2);
        QTRY_COMPARE_WITH_TIMEOUT(bytesDoneOf(*manager, id), one.size() + 40000, kTimeoutMs);
        QCOMPARE(manager->info(id)->currentPart, 1);
        // The first part verified, but nothing is in place before the whole model is.
        QVERIFY(!QFile::exists(path(QStringLiteral("m-00001-of-00002.gguf"))));
        QVERIFY(QFile::exists(path(QStringLiteral("m-00001-of-00002.gguf.part"))));
        manager->pause(id);
        manager->resume(id);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(1).toStringList(),
                 (QStringList{path(QStringLiteral("m-00001-of-00002.gguf")), path(QStringLiteral("m-00002-of-00002.gguf"))}));
        QCOMPARE(readAll(path(QStringLiteral("m-00001-of-00002.gguf"))), one);
        QCOMPARE(readAll(path(QStringLiteral("m-00002-of-00002.gguf"))), two);
        QCOMPARE(m_server->ranges(QStringLiteral("/m-00002-of-00002.gguf")).last(), QByteArray("bytes=40000-"));
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files).size(), 2);  // no .part or state left
    }

    void multiPartFailsWhenAnyPartFails()
    {
        const QByteArray one = randomBytes(50 * 1000, 31);
        const QByteArray two = randomBytes(50 * 1000, 32);
        m_server->serve(QStringLiteral("/m-00001-of-00002.gguf"), one);
        m_server->serve(QStringLiteral("/m-00002-of-00002.gguf"), two);
        m_server->corruptByte(QStringLiteral("/m-00002-of-00002.gguf"), 7);
        auto manager = makeManager();
        DownloadRequest r;
        r.name = QStringLiteral("M");
        r.parts.append(DownloadPart{m_server->url(QStringLiteral("/m-00001-of-00002.gguf")),
                                    QStringLiteral("m-00001-of-00002.gguf"), one.size(), sha(one)});
        r.parts.append(DownloadPart{m_server->url(QStringLiteral("/m-00002-of-00002.gguf")),
                                    QStringLiteral("m-00002-of-00002.gguf"), two.size(), sha(two)});
        const QString id = manager->start(r);
        QVERIFY(waitFor(*manager, id, Status::Failed));
        QVERIFY2(errorOf(*manager, id).startsWith(QStringLiteral("Download of M failed: part 2 of 2: the file's SHA-256")),
                 qPrintable(errorOf(*manager, id)));
        QVERIFY(!QFile::exists(path(QStringLiteral("m-00001-of-00002.gguf"))));
        QVERIFY(!QFile::exists(path(QStringLiteral("m-00002-of-00002.gguf"))));
        manager->cancel(id);
        QVERIFY(QDir(m_dir->path()).entryList(QDir::Files).isEmpty());
    }

    // No size from the caller, no Content-Length, no X-Linked-Size: the body
    // is taken up to the cap, and a longer one is an error, not a full disk.
    void bodyOfUnknownLengthIsCapped_data()
    {
        QTest::addColumn<qint64>("cap");
        QTest::addColumn<bool>("fits");
        QTest::newRow("over the cap") << qint64(100000) << false;
        QTest::newRow("under the cap") << qint64(1000000) << true;
    }

    void bodyOfUnknownLengthIsCapped()
    {
        QFETCH(qint64, cap);
        QFETCH(bool, fits);
        m_server->setLinkedHeaders(QStringLiteral("/model.gguf"), false);
        m_server->setSendLength(QStringLiteral("/model.gguf"), false);
        auto manager = makeManager();
        manager->setMaxUnknownSizeBytes(cap);
        manager->setMaxRetries(0);
        const QString id = manager->start(request(QStringLiteral("/model.gguf"), QStringLiteral("model.gguf"), false));
        QVERIFY(waitFor(*manager, id, fits ? Status::Finished : Status::Failed));
        if (fits) {
            QCOMPARE(readAll(path(QStringLiteral("model.gguf"))), m_data);
            return;
        }
        QVERIFY2(errorOf(*manager, id).contains(QStringLiteral("without saying how long")), qPrintable(errorOf(*manager, id)));
        QVERIFY(QFileInfo(path(QStringLiteral("model.gguf.part"))).size() <= cap);
        QVERIFY(!QFile::exists(path(QStringLiteral("model.gguf"))));
    }

    void unusableRequestsAreRefused()
    {
        auto manager = makeManager();
        QCOMPARE(manager->startDownload(QUrl(QStringLiteral("ftp://example.com/a.gguf")), QStringLiteral("a.gguf")), QString());
        QVERIFY(manager->errorString().contains(QStringLiteral("not an http or https address")));
        QCOMPARE(manager->startDownload(m_server->url(QStringLiteral("/model.gguf")), QStringLiteral("a.gguf"), -1,
                                        QStringLiteral("abc")),
                 QString());
        QVERIFY(manager->errorString().contains(QStringLiteral("SHA-256")));
        QVERIFY(manager->downloadIds().isEmpty());
    }

    // The server the other tests trust: HEAD, ranges, 416, the linked headers.
    void theTestServerSpeaksHttp()
    {
        QNetworkAccessManager network;
        const auto send = [&](const QByteArray& method, const QByteArray& range) {
            QNetworkRequest request(m_server->url(QStringLiteral("/model.gguf")));
            if (!range.isEmpty())
                request.setRawHeader("Range", range);
            // head() rather than a custom verb: Qt expects no body only for its own HEAD.
            QNetworkReply* reply = method == "HEAD" ? network.head(request) : network.get(request);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(kTimeoutMs);
            reply->deleteLater();
            return reply;
        };
        QNetworkReply* head = send("HEAD", {});
        QCOMPARE(head->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(head->header(QNetworkRequest::ContentLengthHeader).toLongLong(), m_data.size());
        QCOMPARE(head->rawHeader("X-Linked-Size"), QByteArray::number(m_data.size()));
        QCOMPARE(head->rawHeader("X-Linked-Etag"), '"' + TestHttpServer::sha256Hex(m_data) + '"');
        QVERIFY(head->readAll().isEmpty());

        QNetworkReply* middle = send("GET", "bytes=10-19");
        QCOMPARE(middle->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 206);
        QCOMPARE(middle->rawHeader("Content-Range"), QByteArray("bytes 10-19/300000"));
        QCOMPARE(middle->readAll(), m_data.mid(10, 10));
        QCOMPARE(send("GET", "bytes=-5")->readAll(), m_data.right(5));
        QCOMPARE(send("GET", "bytes=299990-")->readAll(), m_data.right(10));

        QNetworkReply* beyond = send("GET", "bytes=300000-");
        QCOMPARE(beyond->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 416);
        QCOMPARE(beyond->rawHeader("Content-Range"), QByteArray("bytes */300000"));
        QCOMPARE(m_server->requestCount(QStringLiteral("/model.gguf")), 5);
        QCOMPARE(m_server->ranges(QStringLiteral("/model.gguf")).last(), QByteArray("bytes=300000-"));
    }

    void transferRateIsSmoothed()
    {
        TransferRate rate(3.0);
        QCOMPARE(rate.bytesPerSecond(), 0.0);
        rate.sample(0, 0);
        rate.sample(1000000, 1000);
        QCOMPARE(rate.bytesPerSecond(), 1000000.0);
        QCOMPARE(rate.secondsFor(5000000), 5);
        rate.sample(1000000, 2000);  // a second without data: slower, not zero
        QVERIFY(rate.bytesPerSecond() > 500000 && rate.bytesPerSecond() < 1000000);
        for (qint64 t = 3000; t < 30000; t += 1000)
            rate.sample(1000000, t);
        QVERIFY(rate.bytesPerSecond() < 1000);
        rate.reset();
        QCOMPARE(rate.secondsFor(100), -1);
    }
};

QTEST_GUILESS_MAIN(TestDownloadManager)
#include "tst_download_manager.moc"
