// The text store_writer streams and tst_conversation_store expects: chunk i
// (from 1) is always the same kChunkLength characters.
#pragma once

#include <QString>

namespace ponder::test {

constexpr qsizetype kChunkLength = 17;

inline QString storeWriterChunk(int i)
{
    return QStringLiteral("chunk %1 · é\n").arg(i, 6, 10, QChar(u'0'));
}

} // namespace ponder::test
