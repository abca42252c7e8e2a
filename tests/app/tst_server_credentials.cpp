// A server address may carry user:password@ (an nginx in front of vLLM with
// basic auth): the requests use it, but nothing shown to the user does: not
// the status line's summary and address, not an error message. The API key
// (and the conversation) go to the address the user gave and nowhere else:
// a redirect within its origin is followed with the key, one to another
// origin, or from https to http, is refused with the reason.
#include <QtTest>

#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

#include "chat_controller.h"
#include "fake_openai_server.h"
#include "openai_client.h"

using ponder::app::ChatController;
using ponder::app::OpenAiClient;
using ponder::test::FakeOpenAiServer;

namespace {

// A server on 127.0.0.1 that answers a request for "/moved/<rest>" with a
// 307 to location("/<rest>") and any other with a list of one model; it
// records each request's path and Authorization header.
class RedirectingServer : public QObject {
public:
    std::function<QByteArray(const QByteArray& rest)> location = [](const QByteArray& rest) { return rest; };
    QList<QPair<QByteArray, QByteArray>> requests;  // (path, authorization)

    bool listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_server.listen(QHostAddress::LocalHost);
    }
    QUrl url(const QString& path = QString()) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

private:
    void read(QTcpSocket* socket)
    {
        QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
        socket->setProperty("buffer", buffer);
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        qsizetype length = 0;
        QByteArray authorization;
        for (const QByteArray& line : lines.mid(1)) {
            const QByteArray name = line.left(line.indexOf(':')).trimmed().toLower();
            const QByteArray value = line.mid(line.indexOf(':') + 1).trimmed();
            if (name == "content-length")
                length = value.toLongLong();
            else if (name == "authorization")
                authorization = value;
        }
        if (buffer.size() < headerEnd + 4 + length)
            return;
        socket->setProperty("buffer", QByteArray());
        const QByteArray path = lines.value(0).split(' ').value(1);
        requests.append({path, authorization});
        if (path.startsWith("/moved/")) {
            socket->write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location(path.mid(6)) +
                          "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        } else {
            const QByteArray json = R"({"object":"list","data":[{"id":"deepseek-r1","object":"model"}]})";
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(json.size()) + "\r\nConnection: close\r\n\r\n" + json);
        }
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
};

// What listModels() ended with: the ids, or the error.
struct Listing {
    QStringList ids;
    QString error;
};

Listing listThrough(OpenAiClient& client)
{
    QSignalSpy listed(&client, &OpenAiClient::modelsListed);
    QSignalSpy failed(&client, &OpenAiClient::listFailed);
    client.listModels();
    if (!QTest::qWaitFor([&] { return listed.size() + failed.size() > 0; }, 10000))
        return {{}, QStringLiteral("timed out")};
    return listed.isEmpty() ? Listing{{}, failed.first().first().toString()}
                            : Listing{listed.first().first().toStringList(), {}};
}

} // namespace

class TestServerCredentials : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-credential-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    }

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

    // A redirect within the address's origin (a path moved) is followed, the key with it.
    void redirectWithinTheOriginKeepsTheKey()
    {
        RedirectingServer server;
        QVERIFY(server.listen());
        OpenAiClient client;
        client.setEndpoint({server.url(QStringLiteral("/moved")), QString(), QStringLiteral("sk-secret")});
        const Listing listing = listThrough(client);
        QVERIFY2(listing.error.isEmpty(), qPrintable(listing.error));
        QCOMPARE(listing.ids, QStringList{QStringLiteral("deepseek-r1")});
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests[1].first, QByteArray("/v1/models"));
        QCOMPARE(server.requests[1].second, QByteArray("Bearer sk-secret"));
    }

    // Another port, another host name, another scheme: another origin. The
    // request (a listing, or an answer with the conversation) is not sent
    // there at all, and the error says where the server pointed.
    void redirectToAnotherOriginIsRefused_data()
    {
        QTest::addColumn<QString>("target");  // %1: the other server's port
        QTest::addColumn<bool>("answer");     // generate() rather than listModels()
        QTest::newRow("other port, listing") << "http://127.0.0.1:%1" << false;
        QTest::newRow("other port, answer") << "http://127.0.0.1:%1" << true;
        QTest::newRow("other host name") << "http://localhost:%1" << false;
        QTest::newRow("with credentials") << "http://eve:pw@127.0.0.1:%1" << false;
    }

    void redirectToAnotherOriginIsRefused()
    {
        QFETCH(QString, target);
        QFETCH(bool, answer);
        FakeOpenAiServer other;
        QVERIFY(other.listen());
        other.setStream(FakeOpenAiServer::events({FakeOpenAiServer::delta("content", "leaked", "stop")}));
        RedirectingServer server;
        QVERIFY(server.listen());
        const QByteArray base = target.arg(other.url().port()).toUtf8();
        server.location = [base](const QByteArray& rest) { return base + rest; };
        OpenAiClient client;
        client.setEndpoint({server.url(QStringLiteral("/moved")), QStringLiteral("deepseek-r1"), QStringLiteral("sk-secret")});
        QString error;
        if (answer) {
            QSignalSpy finished(&client, &OpenAiClient::finished);
            QSignalSpy failed(&client, &OpenAiClient::failed);
            client.generate({{ponder::app::MessageRole::User, QStringLiteral("secret question")}}, {});
            QTRY_COMPARE_WITH_TIMEOUT(finished.size() + failed.size(), 1, 10000);
            QCOMPARE(failed.size(), 1);
            error = failed.first().first().toString();
        } else {
            const Listing listing = listThrough(client);
            QVERIFY(listing.ids.isEmpty());
            error = listing.error;
        }
        QTest::qWait(100);  // a request on its way would arrive by now
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(server.requests.size(), 1);
        QVERIFY2(error.contains(QStringLiteral("redirected")) && error.contains(QStringLiteral("another address")),
                 qPrintable(error));
        QVERIFY2(error.contains(QString::number(other.url().port())), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("pw")) && !error.contains(QStringLiteral("sk-secret")), qPrintable(error));
    }

    // The rule itself, for what a local test server cannot play (https):
    // same origin only, and never from https to http.
    void redirectRule_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("refusal");  // a word of the reason; empty: followed
        QTest::newRow("same origin") << "https://api.example.com/v1/models" << "https://api.example.com/v2/models" << "";
        QTest::newRow("default port spelt out") << "https://api.example.com/v1" << "https://api.example.com:443/x" << "";
        QTest::newRow("host in capitals") << "http://gpu-box:8000/v1" << "http://GPU-BOX:8000/v1/models" << "";
        QTest::newRow("https to http") << "https://api.example.com/v1" << "http://api.example.com/v1" << "encryption";
        QTest::newRow("https to http elsewhere") << "https://api.example.com/v1" << "http://evil.example/v1" << "encryption";
        QTest::newRow("http to https") << "http://gpu-box:8000/v1" << "https://gpu-box/v1" << "another address";
        QTest::newRow("other host") << "https://api.example.com/v1" << "https://evil.example/v1" << "another address";
        QTest::newRow("other port") << "http://gpu-box:8000/v1" << "http://gpu-box:8001/v1" << "another address";
        QTest::newRow("subdomain") << "https://example.com/v1" << "https://api.example.com/v1" << "another address";
    }

    void redirectRule()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, refusal);
        const QString reason = ponder::app::redirectRefusal(QUrl(from), QUrl(to));
        if (refusal.isEmpty())
            QVERIFY2(reason.isEmpty(), qPrintable(reason));
        else
            QVERIFY2(reason.contains(refusal), qPrintable(reason));
    }

    // The saved key and user:password go with an empty key field to the
    // saved address only: the dialog's address edited to another server
    // lists and connects there without them, and the saved key is not
    // carried over to that server either.
    void savedKeyGoesOnlyToItsAddress()
    {
        FakeOpenAiServer saved;
        FakeOpenAiServer other;
        QVERIFY(saved.listen() && other.listen());
        QUrl savedWithLogin = saved.url();
        savedWithLogin.setUserInfo(QStringLiteral("alice:s3cret"));
        ChatController chat;
        chat.settings()->setServerUrl(savedWithLogin.toString());
        chat.settings()->setServerApiKey(QStringLiteral("sk-saved"));
        QCOMPARE(chat.settings()->serverUrl(), saved.url().toString());

        chat.listServerModels(other.url().toString(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(other.requestCount(), 1, 10000);
        QCOMPARE(other.lastAuthorization(), QByteArray());

        // The saved one: its key (and the login, which QNetworkAccessManager
        // keeps for a 401 challenge; the bearer key is what goes).
        chat.listServerModels(saved.url().toString() + QStringLiteral("/v1"), QString());
        QTRY_COMPARE_WITH_TIMEOUT(saved.requestCount(), 1, 10000);
        QCOMPARE(saved.lastAuthorization(), QByteArray("Bearer sk-saved"));
        // A key typed in the dialog wins.
        chat.listServerModels(saved.url().toString(), QStringLiteral("sk-typed"));
        QTRY_COMPARE_WITH_TIMEOUT(saved.requestCount(), 2, 10000);
        QCOMPARE(saved.lastAuthorization(), QByteArray("Bearer sk-typed"));

        chat.connectServer(other.url().toString(), QString(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(other.requestCount(), 2, 10000);
        QCOMPARE(other.lastAuthorization(), QByteArray());
        QTRY_VERIFY_WITH_TIMEOUT(chat.modelLoaded(), 10000);
        QCOMPARE(chat.settings()->serverUrl(), other.url().toString());
        QCOMPARE(chat.settings()->serverApiKey(), QString());
        QCOMPARE(chat.settings()->serverLogin(), QString());
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
