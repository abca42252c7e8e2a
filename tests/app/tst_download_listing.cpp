// A download whose SHA-256 neither the catalog nor the server gave is
// checked against its Hugging Face repository's file listing, or put in
// place marked unverified with the reason (issue 12, item 11).
//
// The parsers first, on good and hostile input: resolve URLs, listing URLs,
// listing bodies and Link headers. Then end to end against the local test
// server, with DownloadPolicy::listing pointing the Hugging Face rule at it:
// a matching lfs.oid verifies, a different one deletes the file, and a
// listing that is missing, broken, silent or without the file leaves the
// file unverified with a mark that LocalModels reports; pausing, cancelling
// or quitting while the listing is out. Last, LocalModels against forged
// marks. Nothing leaves 127.0.0.1.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

#include "download_manager.h"
#include "hf_listing.h"
#include "local_models.h"
#include "test_http_server.h"
#include "unverified_mark.h"

using ponder::app::DownloadManager;
using ponder::app::DownloadPart;
using ponder::app::DownloadRequest;
using ponder::app::DownloadState;
using ponder::app::HubFile;
using ponder::app::ListedFile;
using ponder::app::ListingLookup;
using ponder::app::ListingQuery;
using ponder::app::LocalModels;
using ponder::app::UnverifiedMark;
using ponder::test::TestHttpServer;
using Status = DownloadManager::Status;

namespace {

constexpr int kTimeoutMs = 15000;
const QString kFilePath = QStringLiteral("/owner/repo/resolve/main/Q4_K_M/model.gguf");
const QString kListingPath = QStringLiteral("/api/models/owner/repo/tree/main/Q4_K_M");
const QString kEntryPath = QStringLiteral("Q4_K_M/model.gguf");

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

void writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(data), data.size());
}

QString sha(const QByteArray& data)
{
    return QString::fromLatin1(TestHttpServer::sha256Hex(data));
}

QJsonObject lfsEntry(const QString& path, const QJsonValue& oid, const QJsonValue& size)
{
    return {{"type", "file"},
            {"oid", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"},
            {"size", size},
            {"path", path},
            {"lfs", QJsonObject{{"oid", oid}, {"size", size}, {"pointerSize", 134}}}};
}

QByteArray json(const QJsonArray& entries)
{
    return QJsonDocument(entries).toJson(QJsonDocument::Compact);
}

} // namespace

class TestDownloadListing : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestHttpServer> m_server;
    const QByteArray m_data = randomBytes(200 * 1000, 11);

    QString path(const QString& name) const { return m_dir->filePath(name); }

    // The Hugging Face rule itself, with the hub's origin swapped for the
    // local server's on the way in and back: what is tested is the real
    // parsing of the resolve URL and the real listing URL.
    ListingLookup localListing() const
    {
        return [port = m_server->port()](const QUrl& fileUrl) -> std::optional<ListingQuery> {
            QUrl hub = fileUrl;
            hub.setScheme(QStringLiteral("https"));
            hub.setHost(QStringLiteral("huggingface.co"));
            hub.setPort(-1);
            std::optional<ListingQuery> query = ponder::app::huggingFaceListing(hub);
            if (query) {
                query->url.setScheme(QStringLiteral("http"));
                query->url.setHost(QStringLiteral("127.0.0.1"));
                query->url.setPort(port);
            }
            return query;
        };
    }

    std::unique_ptr<DownloadManager> makeManager(bool withListing = true)
    {
        auto manager = std::make_unique<DownloadManager>();
        manager->setModelsFolder(m_dir->path());
        manager->setRetryDelayMs(5);
        manager->setMaxRetries(1);
        if (withListing)
            manager->setListingLookup(localListing());
        return manager;
    }

    // A download of m_data with neither size nor SHA-256 given, from a
    // server that sends no X-Linked-Etag: only the listing can verify it.
    QString startUnknown(DownloadManager& manager)
    {
        return manager.startDownload(m_server->url(kFilePath), QStringLiteral("model.gguf"));
    }

    static bool waitFor(const DownloadManager& manager, const QString& id, Status status)
    {
        QDeadlineTimer deadline(kTimeoutMs);
        while (manager.info(id) && manager.info(id)->status != status && !deadline.hasExpired())
            QTest::qWait(10);
        const auto info = manager.info(id);
        if (!info || info->status != status)
            qWarning() << "status" << (info ? info->status : Status::Failed) << "error:" << (info ? info->errorString : QString());
        return info && info->status == status;
    }

    const ponder::app::LocalModel* listedModel(LocalModels& models, const QString& fileName)
    {
        models.setFolder(m_dir->path());
        models.rescan();
        for (const auto& model : models.models())
            if (model.fileName == fileName)
                return &model;
        return nullptr;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_server = std::make_unique<TestHttpServer>();
        QVERIFY(m_server->listen());
        m_server->serve(kFilePath, m_data);
        m_server->setLinkedHeaders(kFilePath, false);
    }

    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
    }

    // ---- resolve URLs and listing URLs ----

    void parseResolveUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QString>("revision");
        QTest::addColumn<QString>("filePath");
        QTest::addColumn<QString>("listing");

        const QString hub = QStringLiteral("https://huggingface.co/");
        QTest::newRow("root file")
            << hub + "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/resolve/main/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
            << true << "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF" << "main" << "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"
            << "https://huggingface.co/api/models/bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF/tree/main";
        QTest::newRow("in a folder, with a query")
            << hub + "unsloth/DeepSeek-R1-GGUF/resolve/main/Q2_K/DeepSeek-R1-Q2_K-00001-of-00005.gguf?download=true"
            << true << "unsloth/DeepSeek-R1-GGUF" << "main" << "Q2_K/DeepSeek-R1-Q2_K-00001-of-00005.gguf"
            << "https://huggingface.co/api/models/unsloth/DeepSeek-R1-GGUF/tree/main/Q2_K";
        QTest::newRow("a commit, port 443") << hub.chopped(1) + ":443/o/r/resolve/0123abcd/a/b/c.gguf" << true << "o/r"
                                            << "0123abcd" << "a/b/c.gguf"
                                            << "https://huggingface.co/api/models/o/r/tree/0123abcd/a/b";
        QTest::newRow("a pull request's ref") << hub + "o/r/resolve/refs%2Fpr%2F1/m.gguf" << true << "o/r" << "refs/pr/1"
                                               << "m.gguf" << "https://huggingface.co/api/models/o/r/tree/refs%2Fpr%2F1";
        QTest::newRow("odd characters stay in their segment")
            << hub + "o/r/resolve/main/a%20b%23c%3Fd%25/x%2By.gguf" << true << "o/r" << "main" << "a b#c?d%/x+y.gguf"
            << "https://huggingface.co/api/models/o/r/tree/main/a%20b%23c%3Fd%25";
        QTest::newRow("upper-case host") << "https://HuggingFace.CO/o/r/resolve/main/m.gguf" << true << "o/r" << "main"
                                         << "m.gguf" << "https://huggingface.co/api/models/o/r/tree/main";

        const auto refused = [](const char* name, const QString& url) {
            QTest::newRow(name) << url << false << QString() << QString() << QString() << QString();
        };
        refused("http", QStringLiteral("http://huggingface.co/o/r/resolve/main/m.gguf"));
        refused("another host", QStringLiteral("https://huggingface.co.example.com/o/r/resolve/main/m.gguf"));
        refused("a subdomain", QStringLiteral("https://cdn-lfs.huggingface.co/o/r/resolve/main/m.gguf"));
        refused("another port", QStringLiteral("https://huggingface.co:8443/o/r/resolve/main/m.gguf"));
        refused("a user name", QStringLiteral("https://me@huggingface.co/o/r/resolve/main/m.gguf"));
        refused("a dataset", QStringLiteral("https://huggingface.co/datasets/o/r/resolve/main/m.gguf"));
        refused("blob, not resolve", QStringLiteral("https://huggingface.co/o/r/blob/main/m.gguf"));
        refused("no file", QStringLiteral("https://huggingface.co/o/r/resolve/main"));
        refused("an empty file name", QStringLiteral("https://huggingface.co/o/r/resolve/main/"));
        refused("an empty owner", QStringLiteral("https://huggingface.co//r/resolve/main/m.gguf"));
        refused("an encoded dot-dot", QStringLiteral("https://huggingface.co/o/r/resolve/main/%2E%2E/m.gguf"));
        refused("a dot-dot in the ref", QStringLiteral("https://huggingface.co/o/r/resolve/refs%2F..%2Fx/m.gguf"));
        refused("a slash inside a name", QStringLiteral("https://huggingface.co/o/r/resolve/main/a%2Fb.gguf"));
        refused("a newline", QStringLiteral("https://huggingface.co/o/r/resolve/main/a%0Ab.gguf"));
        refused("a backslash", QStringLiteral("https://huggingface.co/o/r/resolve/main/a%5Cb.gguf"));
        refused("a file URL", QStringLiteral("file:///o/r/resolve/main/m.gguf"));
        refused("nothing", QString());
    }

    void parseResolveUrl()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        const std::optional<HubFile> file = ponder::app::parseResolveUrl(QUrl(url));
        QCOMPARE(file.has_value(), valid);
        QCOMPARE(ponder::app::huggingFaceListing(QUrl(url)).has_value(), valid);
        if (!valid)
            return;
        QTEST(file->repo, "repo");
        QTEST(file->revision, "revision");
        QTEST(file->path, "filePath");
        QTEST(ponder::app::listingUrl(*file).toString(QUrl::FullyEncoded), "listing");
        QCOMPARE(ponder::app::huggingFaceListing(QUrl(url))->path, file->path);
    }

    // ---- listing bodies ----

    void findInListing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("outcome");  // 0 found, 1 not named, 2 refused
        QTest::addColumn<QString>("words");  // the refusal's, or the SHA-256 found

        const QString good = QString(64, QLatin1Char('a'));
        const QJsonObject folder{{"type", "directory"}, {"oid", "1234"}, {"size", 0}, {"path", "Q4_K_M/sub"}};
        QTest::newRow("found among others")
            << json({folder, lfsEntry("Q4_K_M/other.gguf", QString(64, 'b'), 5), lfsEntry(kEntryPath, good, 200000)}) << 0
            << good;
        QTest::newRow("upper-case oid") << json({lfsEntry(kEntryPath, good.toUpper(), 200000)}) << 0 << good;
        QTest::newRow("junk entries are skipped")
            << json({1, "x", QJsonValue(), QJsonArray{}, QJsonObject{{"path", 7}}, lfsEntry(kEntryPath, good, 1)}) << 0
            << good;
        QTest::newRow("not named") << json({lfsEntry("model.gguf", good, 1), lfsEntry("Q4_K_M/model.gguf.bak", good, 1)})
                                   << 1 << QString();
        QTest::newRow("empty list") << QByteArray("[]") << 1 << QString();

        QTest::newRow("not JSON") << QByteArray("<html>Sign in</html>") << 2 << "not valid JSON";
        QTest::newRow("empty body") << QByteArray() << 2 << "not valid JSON";
        QTest::newRow("truncated") << json({lfsEntry(kEntryPath, good, 1)}).chopped(3) << 2 << "not valid JSON";
        QTest::newRow("an object") << QByteArray("{\"error\":\"Repository not found\"}") << 2 << "not a list";
        QTest::newRow("deeply nested") << QByteArray(100000, '[') + QByteArray(100000, ']') << 2 << "not valid JSON";
        QByteArray huge = json({lfsEntry(kEntryPath, good, 1)});
        huge.append(QByteArray(ponder::app::kMaxListingBytes, ' '));
        QTest::newRow("too large") << huge << 2 << "larger than 8 MB";
        QTest::newRow("named twice")
            << json({lfsEntry(kEntryPath, good, 1), lfsEntry(kEntryPath, QString(64, 'b'), 1)}) << 2 << "more than once";
        QJsonObject directory = lfsEntry(kEntryPath, good, 1);
        directory["type"] = "directory";
        QTest::newRow("a directory") << json({directory}) << 2 << "does not call it a file";
        QJsonObject noType = lfsEntry(kEntryPath, good, 1);
        noType.remove("type");
        QTest::newRow("no type") << json({noType}) << 2 << "does not call it a file";
        QJsonObject notLfs = lfsEntry(kEntryPath, good, 1);
        notLfs.remove("lfs");
        QTest::newRow("not in LFS") << json({notLfs}) << 2 << "no SHA-256";
        QJsonObject lfsString = lfsEntry(kEntryPath, good, 1);
        lfsString["lfs"] = good;
        QTest::newRow("lfs not an object") << json({lfsString}) << 2 << "no SHA-256";
        QTest::newRow("oid not hex") << json({lfsEntry(kEntryPath, QString(64, 'g'), 1)}) << 2 << "not a SHA-256";
        QTest::newRow("oid a git SHA-1") << json({lfsEntry(kEntryPath, QString(40, 'a'), 1)}) << 2 << "not a SHA-256";
        QTest::newRow("oid with a prefix") << json({lfsEntry(kEntryPath, "sha256:" + good, 1)}) << 2 << "not a SHA-256";
        QTest::newRow("oid a number") << json({lfsEntry(kEntryPath, 12345, 1)}) << 2 << "not a SHA-256";
        QTest::newRow("oid missing") << json({lfsEntry(kEntryPath, QJsonValue(), 1)}) << 2 << "not a SHA-256";
        QTest::newRow("size a string") << json({lfsEntry(kEntryPath, good, "200000")}) << 2 << "not a size";
        QTest::newRow("size negative") << json({lfsEntry(kEntryPath, good, -1)}) << 2 << "not a size";
        QTest::newRow("size fractional") << json({lfsEntry(kEntryPath, good, 1.5)}) << 2 << "not a size";
        QTest::newRow("size huge") << "[{\"type\":\"file\",\"path\":\"Q4_K_M/model.gguf\",\"lfs\":{\"oid\":\"" + good.toLatin1() +
                                          "\",\"size\":1e300}}]"
                                   << 2 << "not a size";
    }

    void findInListing()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, outcome);
        QFETCH(QString, words);
        const auto found = ponder::app::findInListing(body, kEntryPath);
        QCOMPARE(found.has_value() ? (found->has_value() ? 0 : 1) : 2, outcome);
        if (outcome == 2)
            QVERIFY2(found.error().contains(words), qPrintable(found.error()));
        if (outcome == 0)
            QCOMPARE((*found)->sha256, words);
    }

    void findInListingNeedsAPath() { QVERIFY(!ponder::app::findInListing("[]", QString())); }

    void nextPageUrl_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("next");
        const QString base = QStringLiteral("https://huggingface.co/api/models/o/r/tree/main");
        QTest::newRow("Hugging Face's") << QByteArray("<https://huggingface.co/api/models/o/r/tree/main?cursor=ZXhh>; "
                                                      "rel=\"next\"")
                                        << base + "?cursor=ZXhh";
        QTest::newRow("relative, unquoted") << QByteArray("</api/models/o/r/tree/main?cursor=2>;rel=next") << base + "?cursor=2";
        QTest::newRow("after a prev") << QByteArray("<https://huggingface.co/p>; rel=\"prev\", <https://huggingface.co/n>; "
                                                    "title=\"a, b\"; rel=\"next\"")
                                      << QStringLiteral("https://huggingface.co/n");
        QTest::newRow("among relations") << QByteArray("<https://huggingface.co/n>; rel=\"last NEXT\"")
                                         << QStringLiteral("https://huggingface.co/n");
        QTest::newRow("only prev") << QByteArray("<https://huggingface.co/p>; rel=\"prev\"") << QString();
        QTest::newRow("none") << QByteArray() << QString();
        QTest::newRow("garbage") << QByteArray("rel=next; <<>>,,;;") << QString();
        QTest::newRow("an invalid target") << QByteArray("<http://[::1>; rel=next") << QString();
        QTest::newRow("too long") << "<https://huggingface.co/n>; rel=next" + QByteArray(20000, ' ') << QString();
    }

    void nextPageUrl()
    {
        QFETCH(QByteArray, header);
        QFETCH(QString, next);
        const QUrl base(QStringLiteral("https://huggingface.co/api/models/o/r/tree/main"));
        QCOMPARE(ponder::app::nextPageUrl(header, base).toString(QUrl::FullyEncoded), next);
    }

    // ---- end to end ----

    // A listing whose lfs.oid and size match: verified, no mark; the mark an
    // earlier unverified download of the same file left is removed.
    void matchingListingVerifies()
    {
        m_server->serve(kListingPath, QByteArray("[]"));  // first: the listing does not name it
        auto manager = makeManager();
        const QString first = startUnknown(*manager);
        QVERIFY(waitFor(*manager, first, Status::Finished));
        QVERIFY(manager->info(first)->unverified);
        QVERIFY(QFile::exists(UnverifiedMark::pathFor(path("model.gguf"))));

        m_server->serve(kListingPath, json({lfsEntry("Q4_K_M/other.gguf", QString(64, 'b'), 7),
                                            lfsEntry(kEntryPath, sha(m_data), m_data.size())}));
        const QString id = startUnknown(*manager);  // downloads it again, replacing the file
        QCOMPARE(id, first);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        const auto info = manager->info(id);
        QVERIFY2(!info->unverified, qPrintable(info->unverifiedReason));
        QCOMPARE(info->unverifiedReason, QString());
        QCOMPARE(manager->downloadInfo(id).value("unverified").toBool(), false);
        QCOMPARE(readAll(path("model.gguf")), m_data);
        QCOMPARE(m_server->requestCount(kListingPath), 2);
        QCOMPARE(m_server->requestCount(kFilePath), 2);
        QVERIFY(!QFile::exists(UnverifiedMark::pathFor(path("model.gguf"))));
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList{"model.gguf"});
        LocalModels models;
        const auto* model = listedModel(models, "model.gguf");
        QVERIFY(model);
        QVERIFY(!model->unverified);
        QCOMPARE(models.modelsForQml().first().toMap().value("unverified"), QVariant(false));
    }

    // A listing that says otherwise: the file is deleted and the error names both.
    void differingListingDeletesTheFile_data()
    {
        QTest::addColumn<bool>("sameHash");
        QTest::newRow("another SHA-256") << false;
        QTest::newRow("another size") << true;
    }

    void differingListingDeletesTheFile()
    {
        QFETCH(bool, sameHash);
        const QString listed = sameHash ? sha(m_data) : QString(64, QLatin1Char('c'));
        const qint64 listedSize = sameHash ? m_data.size() + 1 : m_data.size();
        m_server->serve(kListingPath, json({lfsEntry(kEntryPath, listed, listedSize)}));
        auto manager = makeManager();
        QSignalSpy failed(manager.get(), &DownloadManager::failed);
        const QString id = startUnknown(*manager);
        QVERIFY(waitFor(*manager, id, Status::Failed));
        const QString message = manager->info(id)->errorString;
        QVERIFY2(message.startsWith("Download of model.gguf failed: the file's SHA-256 is " + sha(m_data)), qPrintable(message));
        QVERIFY2(message.contains("file list says " + listed + QStringLiteral(" (%1 bytes)").arg(listedSize)),
                 qPrintable(message));
        QVERIFY2(message.endsWith("the damaged file was deleted"), qPrintable(message));
        QCOMPARE(failed.count(), 1);
        // No file, .part, state or mark; only the lock the failed task holds until it is resumed or cancelled.
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden), QStringList{"model.gguf.part.lock"});

        // Trying again with a listing that agrees: from scratch, and verified.
        m_server->serve(kListingPath, json({lfsEntry(kEntryPath, sha(m_data), m_data.size())}));
        manager->resume(id);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QVERIFY(!manager->info(id)->unverified);
        QCOMPARE(m_server->ranges(kFilePath).last(), QByteArray());
    }

    // No listing to be had: accepted, marked, and the reason everywhere the UI looks.
    void unusableListingLeavesItUnverified_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("words");
        QTest::newRow("404") << "404" << "could not be fetched: the server answered 404 Not Found";
        QTest::newRow("malformed") << "malformed" << "cannot be used: the file list is not valid JSON";
        QTest::newRow("without the file") << "without" << "does not name it";
        QTest::newRow("no SHA-256 for it") << "not lfs" << "no SHA-256 for it";
        QTest::newRow("larger than the cap") << "huge" << "larger than 8 MB";
        QTest::newRow("silent: the timeout") << "timeout" << "did not arrive within";
        QTest::newRow("not a Hugging Face URL") << "not hf" << "not from a Hugging Face repository";
    }

    void unusableListingLeavesItUnverified()
    {
        QFETCH(QString, fault);
        QFETCH(QString, words);
        if (fault == "404")
            m_server->failWith(kListingPath, 404, TestHttpServer::kAlways);
        else if (fault == "malformed")
            m_server->serve(kListingPath, "[{\"type\":\"file\",\"path\":\"" + kEntryPath.toLatin1() + "\"");
        else if (fault == "without")
            m_server->serve(kListingPath, json({lfsEntry("Q4_K_M/other.gguf", sha(m_data), m_data.size())}));
        else if (fault == "not lfs")
            m_server->serve(kListingPath, json({QJsonObject{{"type", "file"}, {"path", kEntryPath}, {"size", 3}}}));
        else if (fault == "huge")
            m_server->serve(kListingPath, "[" + QByteArray(9 * 1024 * 1024, ' ') + "]");
        else if (fault == "timeout") {
            // A listing that would verify it, had it come.
            m_server->serve(kListingPath, json({lfsEntry(kEntryPath, sha(m_data), m_data.size())}));
            m_server->stallAfter(kListingPath, 0, TestHttpServer::kAlways);
        }
        auto manager = makeManager(fault != "not hf");
        manager->setListingTimeoutMs(fault == "timeout" ? 300 : 60000);
        const QString id = startUnknown(*manager);
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QCOMPARE(m_server->requestCount(kListingPath), fault == "not hf" ? 0 : 1);

        const auto info = manager->info(id);
        QVERIFY(info->unverified);
        QVERIFY2(info->unverifiedReason.contains(words), qPrintable(info->unverifiedReason));
        const QVariantMap map = manager->downloadInfo(id);
        QCOMPARE(map.value("unverified").toBool(), true);
        QCOMPARE(map.value("unverifiedReason").toString(), info->unverifiedReason);
        QCOMPARE(readAll(path("model.gguf")), m_data);

        const QString markPath = UnverifiedMark::pathFor(path("model.gguf"));
        const QJsonObject mark = QJsonDocument::fromJson(readAll(markPath)).object();
        QCOMPARE(mark.value("reason").toString(), info->unverifiedReason);
        QCOMPARE(mark.value("url").toString(), m_server->url(kFilePath).toString(QUrl::FullyEncoded));
        QCOMPARE(mark.value("sha256").toString(), sha(m_data));
        QCOMPARE(mark.value("size").toInteger(), m_data.size());
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files),
                 (QStringList{"model.gguf", "model.gguf.unverified"}));  // no .part or state

        LocalModels models;
        const auto* model = listedModel(models, "model.gguf");
        QVERIFY(model);
        QVERIFY(model->unverified);
        QCOMPARE(model->unverifiedReason, info->unverifiedReason);
        const QVariantMap listed = models.modelsForQml().first().toMap();
        QCOMPARE(listed.value("unverified"), QVariant(true));
        QCOMPARE(listed.value("unverifiedReason").toString(), info->unverifiedReason);
    }

    // A split model with a SHA-256 for its first part only: the download and
    // the local model say which part is unverified.
    void splitModelNamesTheUnverifiedPart()
    {
        const QByteArray two = randomBytes(30000, 12);
        m_server->serve(QStringLiteral("/m-00002-of-00002.gguf"), two);
        m_server->setLinkedHeaders(QStringLiteral("/m-00002-of-00002.gguf"), false);
        auto manager = makeManager(false);
        const QString id = manager->startParts(
            {QVariantMap{{"url", m_server->url(kFilePath)}, {"file", "m-00001-of-00002.gguf"}, {"sha256", sha(m_data)}},
             QVariantMap{{"url", m_server->url(QStringLiteral("/m-00002-of-00002.gguf"))}, {"file", "m-00002-of-00002.gguf"}}});
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QVERIFY(manager->info(id)->unverified);
        QVERIFY2(manager->info(id)->unverifiedReason.startsWith("part 2 of 2: "), qPrintable(manager->info(id)->unverifiedReason));
        QVERIFY(!QFile::exists(UnverifiedMark::pathFor(path("m-00001-of-00002.gguf"))));
        QVERIFY(QFile::exists(UnverifiedMark::pathFor(path("m-00002-of-00002.gguf"))));
        LocalModels models;
        const auto* model = listedModel(models, "m-00001-of-00002.gguf");
        QVERIFY(model);
        QVERIFY(model->unverified);
        QVERIFY2(model->unverifiedReason.startsWith("part 2 of 2: "), qPrintable(model->unverifiedReason));
    }

    // Pause, cancel or quit while the listing is out: the request is dropped;
    // resuming verifies again without downloading again.
    void interruptedWhileVerifying_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("pause") << "pause";
        QTest::newRow("cancel") << "cancel";
        QTest::newRow("quit") << "quit";
    }

    void interruptedWhileVerifying()
    {
        QFETCH(QString, how);
        m_server->serve(kListingPath, json({lfsEntry(kEntryPath, sha(m_data), m_data.size())}));
        m_server->stallAfter(kListingPath, 0, 1);  // the first listing never comes
        auto manager = makeManager();
        const QString id = startUnknown(*manager);
        QTRY_COMPARE_WITH_TIMEOUT(manager->info(id)->status, Status::Verifying, kTimeoutMs);
        QCOMPARE(manager->activeCount(), 1);
        QCOMPARE(manager->downloadInfo(id).value("runningOrQueued").toBool(), true);
        QCOMPARE(QFileInfo(path("model.gguf.part")).size(), m_data.size());
        QVERIFY(!QFile::exists(path("model.gguf")));

        if (how == "cancel") {
            manager->cancel(id);
            QVERIFY(manager->downloadIds().isEmpty());
            QTest::qWait(50);  // any late signal of the dropped request would land here
            QVERIFY(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
            return;
        }
        if (how == "pause") {
            manager->pause(id);
            QCOMPARE(manager->info(id)->status, Status::Paused);
            QCOMPARE(manager->activeCount(), 0);
            QTest::qWait(50);
            QCOMPARE(manager->info(id)->status, Status::Paused);
            manager->resume(id);
        } else {
            manager.reset();  // the app quits; the .part and its state stay
            QCOMPARE(DownloadState::read(path("model.gguf.part.json"))->bytesDone, m_data.size());
            manager = makeManager();
            QCOMPARE(startUnknown(*manager), id);
        }
        QVERIFY(waitFor(*manager, id, Status::Finished));
        QVERIFY2(!manager->info(id)->unverified, qPrintable(manager->info(id)->unverifiedReason));
        QCOMPARE(m_server->requestCount(kListingPath), 2);
        QCOMPARE(m_server->requestCount(kFilePath), 1);  // the bytes were not fetched again
        QCOMPARE(readAll(path("model.gguf")), m_data);
        QVERIFY(!QFile::exists(UnverifiedMark::pathFor(path("model.gguf"))));
    }

    // ---- LocalModels and forged marks ----

    void forgedMarksAreReadAsPlainText_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const QString fallback = QStringLiteral("it was downloaded without a checksum to verify it against");
        QTest::newRow("a reason") << QByteArray("{\"reason\":\"its repository's file list does not name it\"}")
                                  << "its repository's file list does not name it";
        QTest::newRow("controls and bidi overrides")
            << QByteArray("{\"reason\":\"line one\\nline\\u202e two\\u0000\\t<b>three</b>\"}") << "line one line two <b>three</b>";
        QTest::newRow("long") << "{\"reason\":\"" + QByteArray(5000, 'x') + "\"}" << QString(299, 'x') + QChar(0x2026);
        QTest::newRow("not a string") << QByteArray("{\"reason\":{\"a\":1}}") << fallback;
        QTest::newRow("not JSON") << QByteArray("\xff\xfe garbage") << fallback;
        QTest::newRow("empty") << QByteArray() << fallback;
        QTest::newRow("too large") << "{\"reason\":\"big\"}" + QByteArray(UnverifiedMark::kMaxBytes, ' ') << fallback;
    }

    void forgedMarksAreReadAsPlainText()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        writeFile(path("a.gguf"), "GGUF");
        writeFile(UnverifiedMark::pathFor(path("a.gguf")), content);
        LocalModels models;
        const auto* model = listedModel(models, "a.gguf");
        QVERIFY(model);
        QVERIFY(model->unverified);
        QCOMPARE(model->unverifiedReason, reason);
    }

    void aMarkThatIsALinkOrAFolderStillMarks()
    {
        writeFile(path("a.gguf"), "GGUF");
        writeFile(path("b.gguf"), "GGUF");
        writeFile(path("c.gguf"), "GGUF");
        QVERIFY(QFile::link(path("elsewhere.json"), UnverifiedMark::pathFor(path("a.gguf"))));  // dangling
        QVERIFY(QDir().mkdir(UnverifiedMark::pathFor(path("b.gguf"))));
        LocalModels models;
        QVERIFY(listedModel(models, "a.gguf")->unverified);
        QVERIFY(listedModel(models, "b.gguf")->unverified);
        QVERIFY(!listedModel(models, "c.gguf")->unverified);
        QVERIFY(UnverifiedMark::remove(path("a.gguf")));
        QVERIFY(!QFileInfo(UnverifiedMark::pathFor(path("a.gguf"))).isSymLink());
    }
};

QTEST_GUILESS_MAIN(TestDownloadListing)
#include "tst_download_listing.moc"
