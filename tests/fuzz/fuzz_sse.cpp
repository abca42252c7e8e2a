// libFuzzer target for what a chat server streams: the server-sent-events
// reader and the chat chunks in its payloads (app/server/openai_protocol.h).
//
// The input's first 8 bytes choose where the stream is cut, the rest is the
// stream. The promises: cutting the stream anywhere gives the same payloads
// as reading it whole (a server's packets fall anywhere); every payload
// reads into a chunk without crashing; "[DONE]" is Done and nothing else
// is; and the reasoning and answer deltas join with exactly the tags the
// message parser expects.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <QByteArray>
#include <QString>

#include "openai_protocol.h"

using namespace ponder::app;

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

QList<QByteArray> readInPieces(const QByteArray& stream, uint64_t cuts)
{
    SseReader reader;
    QList<QByteArray> payloads;
    qsizetype at = 0;
    while (at < stream.size()) {
        // 1..16 bytes at a time, from the cut bits (repeating once used up).
        const qsizetype length = qsizetype(cuts & 15) + 1;
        cuts = (cuts >> 4) | (cuts << 60);
        payloads += reader.feed(QByteArrayView(stream).sliced(at, std::min(length, stream.size() - at)));
        at += length;
    }
    return payloads;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 8)
        return 0;
    uint64_t cuts = 0;
    std::memcpy(&cuts, data, 8);
    const QByteArray stream(reinterpret_cast<const char*>(data) + 8, qsizetype(size - 8));

    SseReader whole;
    const QList<QByteArray> payloads = whole.feed(stream);
    require(readInPieces(stream, cuts) == payloads);

    ReasoningJoiner joiner;
    for (const QByteArray& payload : payloads) {
        const ChatChunk chunk = parseChatChunk(payload);
        require((chunk.kind == ChatChunk::Kind::Done) == (payload.trimmed() == "[DONE]"));
        if (chunk.kind == ChatChunk::Kind::NotJson)
            require(chunk.error.size() <= 200);
        if (chunk.kind != ChatChunk::Kind::Delta) {
            require(chunk.reasoning.isEmpty() && chunk.content.isEmpty());
            continue;
        }
        // The joiner's promise, written out: "<think>\n" opens reasoning,
        // "\n</think>\n\n" closes it where answer text follows.
        const bool wasReasoning = joiner.inReasoning();
        const bool reasoning = !chunk.reasoning.isEmpty(), content = !chunk.content.isEmpty();
        QString expected;
        if (reasoning && !wasReasoning)
            expected += QStringLiteral("<think>\n");
        expected += chunk.reasoning;
        if (content && (wasReasoning || reasoning))
            expected += QStringLiteral("\n</think>\n\n");
        expected += chunk.content;
        require(joiner.join(chunk.reasoning, chunk.content) == expected);
        require(joiner.inReasoning() == (content ? false : (reasoning || wasReasoning)));
    }
    return 0;
}
