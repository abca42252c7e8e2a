// A server address may carry user:password@ (an nginx in front of vLLM with
// basic auth): the requests use it, but nothing shown to the user does: not
// the status line's summary and address, not an error message.
#include <QtTest>

#include <QTcpServer>

#include "fake_openai_server.h"
#include "openai_client.h"

using ponder::app::OpenAiClient;
using ponder::test::FakeOpenAiServer;

class TestServerCredentials : public QObject {
    Q_OBJECT

private slots:
    void displayedUrlsHaveNoCredentials_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shown");
        QTest::newRow("user and password") << "http://alice:s3cret@gpu-box:8000/v1" << "http://gpu-box:8000/v1";
        QTest::newRow("user only") << "https://alice@api.example.com" << "https://api.example.com";
        QTest::newRow("encoded password") << "http://bob:p%40ss%3Aw@host:1/" << "http://host:1/";
        QTest::newRow("none") << "http://127.0.0.1:8080/v1" << "http://127.0.0.1:8080/v1";
    }

    void displayedUrlsHaveNoCredentials()
    {
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QCOMPARE(ponder::app::displayUrl(QUrl(url)), shown);
        const QString error = QStringLiteral("Error transferring %1 - server replied: Bad Gateway").arg(url);
        const QString scrubbed = ponder::app::withoutCredentials(error, QUrl(url));
        QVERIFY2(!scrubbed.contains(QStringLiteral("s3cret")) && !scrubbed.contains(QStringLiteral("p%40ss")),
                 qPrintable(scrubbed));
        QVERIFY(scrubbed.contains(QUrl(url).host()));
    }

    void statusLineSummaryHasNoCredentials()
    {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.setModels({QStringLiteral("deepseek-r1")});
        QUrl url = server.url();
        url.setUserName(QStringLiteral("alice"));
        url.setPassword(QStringLiteral("s3cret"));
        OpenAiClient client;
        client.setEndpoint({url, QString(), QString()});
        QSignalSpy opened(&client, &OpenAiClient::opened);
        QSignalSpy failed(&client, &OpenAiClient::openFailed);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.size() + failed.size(), 1, 10000);
        QCOMPARE(opened.size(), 1);
        const QVariantMap info = opened.first().first().toMap();
        for (const QString& field : {QStringLiteral("serverUrl"), QStringLiteral("summary"), QStringLiteral("device")}) {
            QVERIFY2(!info.value(field).toString().contains(QStringLiteral("s3cret")), qPrintable(field));
            QVERIFY2(!info.value(field).toString().contains(QStringLiteral("alice")), qPrintable(field));
        }
        QVERIFY(info.value(QStringLiteral("summary")).toString().contains(QStringLiteral("127.0.0.1")));
    }

    void unreachableServerErrorHasNoCredentials()
    {
        QTcpServer closed;  // a port that was free a moment ago: connection refused
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        OpenAiClient client;
        client.setEndpoint({QUrl(QStringLiteral("http://alice:s3cret@127.0.0.1:%1").arg(port)), QString(), QString()});
        QSignalSpy failed(&client, &OpenAiClient::openFailed);
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        const QString error = failed.first().first().toString();
        QVERIFY2(!error.contains(QStringLiteral("s3cret")) && !error.contains(QStringLiteral("alice")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestServerCredentials)
#include "tst_server_credentials.moc"
