// Ponder's SHA-256 (OpenSSL underneath): the standard's test vectors, and
// agreement with QCryptographicHash on random data fed in random pieces,
// with result() read between pieces (it must not disturb the running hash).
#include <QtTest>

#include <QCryptographicHash>
#include <QRandomGenerator>

#include "sha256.h"

using ponder::app::Sha256;

class TestSha256 : public QObject {
    Q_OBJECT

private slots:
    void knownVectors_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("digest");
        // FIPS 180-2, appendix B.
        QTest::newRow("empty") << QByteArray()
                               << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        QTest::newRow("abc") << QByteArray("abc")
                             << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                    << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
        QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                     << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    }

    void knownVectors()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, digest);
        QCOMPARE(QString::fromLatin1(Sha256::hash(input).toHex()), digest);
        Sha256 sha;
        for (qsizetype at = 0; at < input.size(); at += 4097)
            sha.addData(QByteArrayView(input).sliced(at, qMin<qsizetype>(4097, input.size() - at)));
        QCOMPARE(sha.hexResult(), digest);
    }

    void agreesWithQtInRandomPieces()
    {
        QRandomGenerator random(20261125);
        QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
        random.fillRange(reinterpret_cast<quint32*>(data.data()), data.size() / 4);
        Sha256 ours;
        QCryptographicHash qt(QCryptographicHash::Sha256);
        int reads = 0;
        for (qsizetype at = 0; at < data.size();) {
            const qsizetype piece = qMin<qsizetype>(random.bounded(1, 200000), data.size() - at);
            ours.addData(QByteArrayView(data).sliced(at, piece));
            qt.addData(QByteArrayView(data).sliced(at, piece));
            at += piece;
            if (random.bounded(3) == 0) {
                QCOMPARE(ours.result(), qt.result());
                ++reads;
            }
        }
        QCOMPARE(ours.result(), qt.result());
        QVERIFY(reads > 0);
        QCOMPARE(ours.result().size(), 32);
    }
};

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
