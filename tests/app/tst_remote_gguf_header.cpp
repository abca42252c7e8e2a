// Reading a GGUF header over HTTP: a generated model with a vocabulary of
// real size (its header is larger than the first 1 MiB fetch), served behind
// a Hugging Face-like redirect, must give the same tensors as the local file
// while fetching a small fraction of it.
#include <QtTest>

#include <QSignalSpy>

#include <functional>
#include <new>

#include "model_generator.h"
#include "ponder/model_info.h"
#include "remote_gguf_header.h"
#include "remote_model_info.h"
#include "test_http_server.h"

namespace ponder::app::test_hooks {
extern std::function<void(const char* step)> remoteHeaderStep;
}

using ponder::app::RemoteGgufHeader;
using ponder::app::RemoteModelInfo;
using ponder::test::TestHttpServer;

namespace {

constexpr int kTimeoutMs = 15000;
// Llama 3's vocabulary size: the header (tokens and types) is about 2.8 MB.
constexpr uint32_t kVocabSize = 128256;

} // namespace

class TestRemoteGgufHeader : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;  // kVocabSize tokens, several MB
    QString m_tiny;   // a 512-token model, smaller than the first fetch
    std::optional<ponder::GgufFile> m_local;
    TestHttpServer m_server;

    void compareWithLocal(const ponder::GgufHeader& remote, const ponder::GgufHeader& local)
    {
        QCOMPARE(remote.fileSize(), local.fileSize());
        QCOMPARE(remote.dataOffset(), local.dataOffset());
        QCOMPARE(remote.metadata().size(), local.metadata().size());
        QCOMPARE(remote.tensors().size(), local.tensors().size());
        for (size_t i = 0; i < local.tensors().size(); ++i) {
            const ponder::GgufTensorInfo& a = remote.tensors()[i];
            const ponder::GgufTensorInfo& b = local.tensors()[i];
            QCOMPARE(a.name, b.name);
            QVERIFY(a.type == b.type);
            QVERIFY(a.dims == b.dims);
            QCOMPARE(a.offset, b.offset);
            QCOMPARE(a.bytes, b.bytes);
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        ponder::testing::ModelSpec spec;
        spec.config = ponder::testing::tinyConfig(ponder::Architecture::Llama, kVocabSize);
        spec.mix = ponder::QuantMix::Q4_0;
        m_model = m_dir.filePath(QStringLiteral("model.gguf"));
        const auto written = ponder::testing::writeModel(m_model.toStdString(), spec, 2);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        auto local = ponder::GgufFile::open(m_model.toStdString());
        QVERIFY(local);
        m_local.emplace(std::move(*local));
        QVERIFY2(m_local->header().headerSize() > uint64_t(RemoteGgufHeader::kFirstFetchBytes),
                 "the header must need more than the first fetch");

        spec.config = ponder::testing::tinyConfig(ponder::Architecture::Qwen2, 512);
        m_tiny = m_dir.filePath(QStringLiteral("tiny.gguf"));
        QVERIFY(ponder::testing::writeModel(m_tiny.toStdString(), spec, 2));
        QVERIFY(QFileInfo(m_tiny).size() < RemoteGgufHeader::kFirstFetchBytes);

        QVERIFY(m_server.listen());
        m_server.serveFile(QStringLiteral("/cdn/model.gguf"), m_model);
        m_server.setLinkedHeaders(QStringLiteral("/cdn/model.gguf"), false);
        m_server.redirect(QStringLiteral("/resolve/main/model.gguf"), QStringLiteral("/cdn/model.gguf"));
        m_server.serveFile(QStringLiteral("/tiny.gguf"), m_tiny);
    }

    void readsTheHeaderBehindARedirect()
    {
        RemoteGgufHeader reader;
        QSignalSpy finished(&reader, &RemoteGgufHeader::finished);
        reader.fetch(m_server.url(QStringLiteral("/resolve/main/model.gguf")));
        QVERIFY(reader.busy());
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.first().first().toBool(), qPrintable(reader.errorString()));
        QVERIFY(!reader.busy());
        QVERIFY(reader.hasHeader());
        compareWithLocal(reader.header(), m_local->header());
        QCOMPARE(reader.fileSize(), qint64(m_local->size()));

        const auto info = ponder::readModelInfo(reader.header());
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        QCOMPARE(info->config.vocabSize, kVocabSize);
        QCOMPARE(info->tensorBytes, ponder::readModelInfo(m_local->header())->tensorBytes);

        // More than one request, each for bytes it did not have yet; a small part of the file.
        const QList<QByteArray> ranges = m_server.ranges(QStringLiteral("/cdn/model.gguf"));
        QVERIFY(ranges.size() >= 2);
        QCOMPARE(ranges.first(), QByteArray("bytes=0-1048575"));
        QVERIFY2(ranges.at(1).startsWith("bytes=1048576-"), ranges.at(1).constData());
        const qint64 sent = m_server.bodyBytesSent(QStringLiteral("/cdn/model.gguf"));
        QCOMPARE(reader.bytesFetched(), sent);
        QVERIFY(sent >= qint64(m_local->header().headerSize()));
        qInfo("header %llu bytes; fetched %lld of %llu bytes in %lld requests", qulonglong(m_local->header().headerSize()),
              sent, qulonglong(m_local->size()), qlonglong(ranges.size()));
        QVERIFY2(sent < qint64(m_local->size()) / 4,
                 qPrintable(QStringLiteral("%1 of %2 bytes").arg(sent).arg(m_local->size())));
    }

    void readsASmallFileInOneRequest()
    {
        RemoteGgufHeader reader;
        QSignalSpy finished(&reader, &RemoteGgufHeader::finished);
        const int before = m_server.requestCount(QStringLiteral("/tiny.gguf"));
        reader.fetch(m_server.url(QStringLiteral("/tiny.gguf")));
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.first().first().toBool(), qPrintable(reader.errorString()));
        QCOMPARE(m_server.requestCount(QStringLiteral("/tiny.gguf")), before + 1);
        auto local = ponder::GgufFile::open(m_tiny.toStdString());
        QVERIFY(local);
        compareWithLocal(reader.header(), local->header());
    }

    // A server that ignores Range sends the whole file: the reader stops
    // once the header parsed.
    void aServerIgnoringRangeIsCutOff()
    {
        m_server.serveFile(QStringLiteral("/norange/model.gguf"), m_model);
        m_server.setIgnoreRange(QStringLiteral("/norange/model.gguf"), true);
        RemoteGgufHeader reader;
        QSignalSpy finished(&reader, &RemoteGgufHeader::finished);
        reader.fetch(m_server.url(QStringLiteral("/norange/model.gguf")));
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.first().first().toBool(), qPrintable(reader.errorString()));
        compareWithLocal(reader.header(), m_local->header());
        QCOMPARE(m_server.requestCount(QStringLiteral("/norange/model.gguf")), 1);
        QVERIFY(reader.bytesFetched() < qint64(m_local->size()));
    }

    void aStalledServerTimesOut()
    {
        m_server.serveFile(QStringLiteral("/stalled.gguf"), m_model);
        m_server.stallAfter(QStringLiteral("/stalled.gguf"), 1000);
        RemoteGgufHeader reader;
        reader.setTimeoutMs(300);
        QSignalSpy finished(&reader, &RemoteGgufHeader::finished);
        reader.fetch(m_server.url(QStringLiteral("/stalled.gguf")));
        QVERIFY(finished.wait(kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(reader.errorString(), QStringLiteral("Reading the header of stalled.gguf failed: the server sent nothing for 0.3 s"));
    }

    void failuresAreMessages_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("message");
        QTest::newRow("404") << "/missing.gguf" << "Reading the header of missing.gguf failed: the server answered 404 Not Found";
        QTest::newRow("not a GGUF") << "/noise.gguf" << "Reading the header of noise.gguf failed: it is not a valid GGUF file";
        QTest::newRow("truncated") << "/truncated.gguf" << "Reading the header of truncated.gguf failed: ";
    }

    void failuresAreMessages()
    {
        QFETCH(QString, path);
        QFETCH(QString, message);
        QByteArray noise(3 * 1024 * 1024, 'x');
        m_server.serve(QStringLiteral("/noise.gguf"), noise);
        QFile model(m_model);
        QVERIFY(model.open(QIODevice::ReadOnly));
        m_server.serve(QStringLiteral("/truncated.gguf"), model.read(1500 * 1000));  // ends inside the header
        RemoteGgufHeader reader;
        QSignalSpy finished(&reader, &RemoteGgufHeader::finished);
        reader.fetch(m_server.url(path));
        QVERIFY(finished.wait(kTimeoutMs));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY(!reader.hasHeader());
        QVERIFY2(reader.errorString().startsWith(message), qPrintable(reader.errorString()));
        QVERIFY(m_server.bodyBytesSent(path) <= 2 * RemoteGgufHeader::kFirstFetchBytes);
    }

    // A header that asks for more memory than there is fails its read with
    // a message, not the app: parsed in a network slot, an exception would
    // end the process. Both steps: the header itself, then the ModelInfo.
    void outOfMemoryIsAMessage_data()
    {
        QTest::addColumn<QString>("step");
        QTest::newRow("header") << "parse";
        QTest::newRow("model info") << "info";
    }

    void outOfMemoryIsAMessage()
    {
        QFETCH(QString, step);
        ponder::app::test_hooks::remoteHeaderStep = [step](const char* now) {
            if (step == QLatin1String(now))
                throw std::bad_alloc();
        };
        RemoteModelInfo info;
        QSignalSpy finished(&info, &RemoteModelInfo::finished);
        info.fetch({m_server.url(QStringLiteral("/tiny.gguf"))});
        const bool ended = finished.wait(kTimeoutMs);
        ponder::app::test_hooks::remoteHeaderStep = nullptr;
        QVERIFY(ended);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(info.errorString().contains(QStringLiteral("not enough memory to read its header")),
                 qPrintable(info.errorString()));
        QVERIFY(info.errorString().contains(QStringLiteral("tiny.gguf")));

        info.fetch({m_server.url(QStringLiteral("/tiny.gguf"))});
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.last().first().toBool(), qPrintable(info.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestRemoteGgufHeader)
#include "tst_remote_gguf_header.moc"
