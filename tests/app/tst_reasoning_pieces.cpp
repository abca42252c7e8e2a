// ReasoningPieces and MessageContent's pieces: where a reasoning is cut, that
// the pieces give back its text exactly, that the cuts do not depend on how
// the text arrived, and that the work stays linear in the text.
#include <QtTest>

#include <QSignalSpy>

#include "message_content.h"
#include "reasoning_pieces.h"

using namespace ponder::app;

namespace {

constexpr qsizetype kTarget = ReasoningPieces::kTarget;

// The text the pieces stand for: a cut at a line break drops the break (each
// piece starts a line), the others drop nothing.
QString joined(const ReasoningPieces& pieces, const QString& text)
{
    QString out;
    qsizetype at = 0;
    for (int i = 0; i < pieces.count(); ++i) {
        const QStringView piece = pieces.piece(text, i);
        const qsizetype start = piece.data() - text.constData();
        if (start == at + 1 && text[at] == u'\n')
            out += u'\n';
        else if (start != at)
            return QStringLiteral("<piece %1 starts at %2, not at %3>").arg(i).arg(start).arg(at);
        out += piece;
        at = start + piece.size();
    }
    return out;
}

QList<qsizetype> starts(const ReasoningPieces& pieces, const QString& text)
{
    QList<qsizetype> out;
    for (int i = 0; i < pieces.count(); ++i)
        out.append(pieces.piece(text, i).data() - text.constData());
    return out;
}

// A reasoning like R1's: paragraphs of sentences, some lines long.
QString paragraphs(int count)
{
    QString text;
    for (int p = 0; p < count; ++p) {
        for (int s = 0; s < 12 + p % 7; ++s)
            text += QStringLiteral("Wait, let me check step %1.%2 again, carefully this time. ").arg(p).arg(s);
        text += p % 3 ? QStringLiteral("\n\n") : QStringLiteral("\n");
    }
    return text.trimmed();
}

} // namespace

class TestReasoningPieces : public QObject {
    Q_OBJECT

private slots:
    void shortTextIsOnePiece()
    {
        ReasoningPieces pieces;
        QCOMPARE(pieces.count(), 0);
        const QString text = QStringLiteral("Hmm.\nThe user asks for a sum.");
        QCOMPARE(pieces.grow(text).firstChanged, 0);
        QCOMPARE(pieces.count(), 1);
        QCOMPARE(pieces.piece(text, 0), QStringView(text));
        QCOMPARE(pieces.grow(text).firstChanged, -1);  // nothing new
    }

    // A piece ends at the first line break once it is long enough; the break
    // belongs to no piece, and the next piece starts the next line.
    void cutsAtLineBreaks()
    {
        const QString text = paragraphs(40);
        ReasoningPieces pieces;
        pieces.grow(text);
        QVERIFY2(pieces.count() > 10, qPrintable(QString::number(pieces.count())));
        QCOMPARE(joined(pieces, text), text);
        for (int i = 0; i + 1 < pieces.count(); ++i) {
            const QStringView piece = pieces.piece(text, i);
            QVERIFY2(piece.size() >= kTarget, qPrintable(QString::number(i)));
            const qsizetype end = piece.data() - text.constData() + piece.size();
            QCOMPARE(text[end], QChar(u'\n'));
            // Cut at the first break past the target: none inside the piece's tail.
            QVERIFY(!piece.sliced(kTarget).contains(u'\n'));
        }
    }

    // A line with no break: cut at a space past twice the target, and a text
    // with neither anywhere past four times it, never inside a surrogate pair.
    void longLinesAndNoSpaces()
    {
        QString line;
        while (line.size() < 10 * kTarget)
            line += QStringLiteral("again and again ");
        ReasoningPieces byWords;
        byWords.grow(line);
        QVERIFY(byWords.count() >= 4);
        QCOMPARE(joined(byWords, line), line);
        for (int i = 0; i + 1 < byWords.count(); ++i) {
            const QStringView piece = byWords.piece(line, i);
            QVERIFY(piece.size() > 2 * kTarget && piece.size() < 2 * kTarget + 20);
            QVERIFY(piece.endsWith(u' '));
        }

        QString emoji;
        while (emoji.size() < 9 * kTarget + 1)
            emoji += QStringLiteral("🤔");  // a surrogate pair each
        ReasoningPieces hard;
        hard.grow(emoji);
        QCOMPARE(hard.count(), 3);
        QCOMPARE(joined(hard, emoji), emoji);
        for (int i = 0; i < hard.count(); ++i) {
            const QStringView piece = hard.piece(emoji, i);
            QVERIFY(piece.front().isHighSurrogate());
            QVERIFY(piece.back().isLowSurrogate());
        }
    }

    // Fed in chunks of any size, the pieces are those of the whole text, and
    // each character is read once.
    void cutsDoNotDependOnChunks()
    {
        const QString text = paragraphs(30) + QStringLiteral(" ") + QString(5 * kTarget, u'x');
        ReasoningPieces whole;
        whole.grow(text);
        for (const qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(kTarget - 1), qsizetype(3 * kTarget + 5)}) {
            ReasoningPieces streamed;
            int lastFirstChanged = 0;
            for (qsizetype at = 0; at < text.size(); at += chunk) {
                const int countBefore = streamed.count();
                const auto change = streamed.grow(QStringView(text).first(std::min(text.size(), at + chunk)));
                // Only the open piece and new ones change.
                QCOMPARE(change.firstChanged, std::max(0, countBefore - 1));
                QVERIFY(change.firstChanged >= lastFirstChanged);
                lastFirstChanged = change.firstChanged;
            }
            QCOMPARE(starts(streamed, text), starts(whole, text));
            QCOMPARE(streamed.work(), text.size());
        }
    }

    // The content cuts its reasoning as it streams, says which pieces
    // changed, and gives each piece as a string of its own.
    void contentPublishesPieces()
    {
        MessageContent content;
        QSignalSpy changed(&content, &MessageContent::reasoningPiecesChanged);
        const QString reasoning = paragraphs(20);
        for (qsizetype at = 0; at < reasoning.size(); at += 997)
            content.append(reasoning.mid(at, 997));
        QCOMPARE(content.reasoning(), reasoning);
        QVERIFY(content.reasoningPieceCount() > 5);
        QVERIFY(changed.size() >= 10);
        for (const QList<QVariant>& signal : changed)
            QVERIFY(signal[0].toInt() >= std::max(0, signal[1].toInt() - 1));
        const QString first = content.reasoningPiece(0);
        QVERIFY(reasoning.startsWith(first));
        QVERIFY(first.size() < reasoning.size());
        QCOMPARE(content.reasoningPiece(content.reasoningPieceCount()), QString());

        // The answer adds no pieces; clearing and loading cut again.
        changed.clear();
        content.append(QStringLiteral("</think>The answer."));
        QVERIFY(changed.isEmpty());
        const int count = content.reasoningPieceCount();
        content.clear();
        QCOMPARE(content.reasoningPieceCount(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][1].toInt(), count);
        content.load(reasoning, true, QStringLiteral("The answer."));
        QCOMPARE(content.reasoningPieceCount(), count);
        QCOMPARE(content.reasoningPiece(0), first);
    }
};

QTEST_MAIN(TestReasoningPieces)
#include "tst_reasoning_pieces.moc"
