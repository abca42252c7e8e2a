// Cuts a message's reasoning into pieces the chat's list shows as rows of
// their own, as it does an answer's blocks. One label for all of a
// reasoning stuck in a loop (DeepSeek-R1's commonest failure) was laid out
// again, all of it, at every display tick: half-second stalls for a
// megabyte (BENCHMARKS.md, "A megabyte of looping reasoning"). In pieces,
// a tick lays out the last piece, and the list makes only those on screen.
//
// The reasoning only grows (message_parser.h), so pieces are cut as its
// characters arrive and never move: a piece ends at the first line break
// once it holds kTarget characters (the break itself belongs to no piece:
// each piece starts a line, so pieces stacked without gaps show the text
// as one label did), at a space once it holds 2 * kTarget (a line with no
// break for that long), or anywhere but inside a surrogate pair at
// 4 * kTarget. Where the pieces fall depends only on the text, not on how
// it was cut into chunks, so a reasoning reopened from the store is cut as
// it was while it streamed.
#pragma once

#include <QStringView>

#include <vector>

namespace ponder::app {

class ReasoningPieces {
public:
    static constexpr qsizetype kTarget = 1500;

    /// What a grow() changed: pieces from `firstChanged` on have new text (or
    /// are new); -1 when none.
    struct Change {
        int firstChanged = -1;
    };

    /// Catches up with `text`, which holds the text of the last call and maybe
    /// more. Reads only the characters added since.
    Change grow(QStringView text);
    /// Forgets the text: the next grow() starts a new one.
    void reset();

    int count() const { return int(m_starts.size()); }
    /// Piece `i` of `text` (the text of the last grow()).
    QStringView piece(QStringView text, int i) const;
    /// Characters read so far, over every text since construction: a measure
    /// of the work, for tests that it stays linear.
    qint64 work() const { return m_work; }

private:
    std::vector<qsizetype> m_starts;  // where each piece starts
    std::vector<qsizetype> m_ends;    // where each closed piece ends; the last piece runs to the end of the text
    qsizetype m_length = 0;           // characters read of the current text
    qint64 m_work = 0;
};

} // namespace ponder::app
