// A network access factory for a QML engine under test: every request the
// UI would make (an image URL in a Text, a remote QML file) is recorded and
// answered with nothing, so a test can prove that the UI fetched nothing.
// Made with `forward`, it sends each request on as asked, so a local test
// server also sees (or does not see) it.
#pragma once

#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QQmlNetworkAccessManagerFactory>
#include <QStringList>

namespace ponder::test {

class RecordingNetworkFactory : public QQmlNetworkAccessManagerFactory {
public:
    explicit RecordingNetworkFactory(bool forward = false) : m_forward(forward) {}

    QNetworkAccessManager* create(QObject* parent) override { return new Manager(m_forward, parent); }

    // Every URL asked for so far, by any engine using this factory (any thread).
    static QStringList requests()
    {
        QMutexLocker lock(&mutex());
        return log();
    }

private:
    class Manager : public QNetworkAccessManager {
    public:
        Manager(bool forward, QObject* parent) : QNetworkAccessManager(parent), m_forward(forward) {}

    protected:
        QNetworkReply* createRequest(Operation op, const QNetworkRequest& request, QIODevice* data) override
        {
            {
                QMutexLocker lock(&mutex());
                log() << request.url().toString();
            }
            if (m_forward)
                return QNetworkAccessManager::createRequest(op, request, data);
            return QNetworkAccessManager::createRequest(op, QNetworkRequest(QUrl(QStringLiteral("data:,"))), data);
        }

    private:
        bool m_forward;
    };

    bool m_forward;

    static QMutex& mutex()
    {
        static QMutex m;
        return m;
    }
    static QStringList& log()
    {
        static QStringList l;
        return l;
    }
};

} // namespace ponder::test
