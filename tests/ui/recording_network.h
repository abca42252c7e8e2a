// A network access factory for a QML engine under test: every request the
// UI would make (an image URL in a Text, a remote QML file) is recorded and
// answered with nothing, so a test can prove that the UI fetched nothing.
#pragma once

#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QQmlNetworkAccessManagerFactory>
#include <QStringList>

namespace ponder::test {

class RecordingNetworkFactory : public QQmlNetworkAccessManagerFactory {
public:
    QNetworkAccessManager* create(QObject* parent) override { return new Manager(parent); }

    // Every URL asked for so far, by any engine using this factory (any thread).
    static QStringList requests()
    {
        QMutexLocker lock(&mutex());
        return log();
    }

private:
    class Manager : public QNetworkAccessManager {
    public:
        using QNetworkAccessManager::QNetworkAccessManager;

    protected:
        QNetworkReply* createRequest(Operation op, const QNetworkRequest& request, QIODevice* data) override
        {
            {
                QMutexLocker lock(&mutex());
                log() << request.url().toString();
            }
            return QNetworkAccessManager::createRequest(op, QNetworkRequest(QUrl(QStringLiteral("data:,"))), data);
        }
    };

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
