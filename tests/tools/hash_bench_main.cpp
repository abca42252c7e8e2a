// ponder-bench-hash: SHA-256 throughput of the two implementations a
// download could use, on the same buffer in the pieces a network reply
// delivers (64 KiB): OpenSSL's (app/sha256.h, what Ponder uses) and
// QCryptographicHash's. Run it on an idle machine; BENCHMARKS.md has results.
//
//   ponder-bench-hash [--seconds S] [--piece-kib K]
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>

#include <cstdio>
#include <functional>

#include "sha256.h"

namespace {

// Feeds `piece` to `add` until `seconds` have passed; returns MB/s.
double throughput(const QByteArray& piece, double seconds, const std::function<void(QByteArrayView)>& add)
{
    QElapsedTimer clock;
    clock.start();
    qint64 bytes = 0;
    while (clock.nsecsElapsed() < qint64(seconds * 1e9)) {
        add(piece);
        bytes += piece.size();
    }
    return double(bytes) / 1e6 / (double(clock.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("SHA-256 throughput: OpenSSL (Ponder's) against Qt's."));
    parser.addHelpOption();
    const QCommandLineOption secondsOption(QStringLiteral("seconds"), QStringLiteral("Time per implementation."),
                                           QStringLiteral("S"), QStringLiteral("3"));
    const QCommandLineOption pieceOption(QStringLiteral("piece-kib"), QStringLiteral("Bytes per call, in KiB."),
                                         QStringLiteral("K"), QStringLiteral("64"));
    parser.addOptions({secondsOption, pieceOption});
    parser.process(app);
    const double seconds = parser.value(secondsOption).toDouble();
    const int pieceKib = parser.value(pieceOption).toInt();
    if (seconds <= 0 || pieceKib <= 0) {
        std::fprintf(stderr, "ponder-bench-hash: --seconds and --piece-kib must be positive\n");
        return 2;
    }

    QByteArray piece(pieceKib * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < piece.size(); ++i)
        piece[i] = char((i * 2654435761u) >> 24);

    ponder::app::Sha256 openssl;
    const double opensslRate = throughput(piece, seconds, [&](QByteArrayView data) { openssl.addData(data); });
    QCryptographicHash qt(QCryptographicHash::Sha256);
    const double qtRate = throughput(piece, seconds, [&](QByteArrayView data) { qt.addData(data); });
    std::printf("SHA-256, %d KiB pieces, %.1f s each\n", pieceKib, seconds);
    std::printf("  OpenSSL (Ponder)     %8.0f MB/s\n", opensslRate);
    std::printf("  QCryptographicHash   %8.0f MB/s\n", qtRate);
    std::printf("  ratio                %8.1fx\n", opensslRate / qtRate);
    return 0;
}
