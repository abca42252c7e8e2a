// Turns generated token ids into text as they arrive. A token may end in the
// middle of a UTF-8 character (byte-level BPE splits emoji and CJK across
// tokens), so push() returns only complete characters and holds the partial
// tail back until its remaining bytes arrive. Bytes that cannot start or
// continue a character become U+FFFD at once rather than being held forever.
// The pieces concatenated, followed by flush(), equal Tokenizer::decode() of
// all the ids.
#pragma once

#include <cstdint>
#include <string>

#include "ponder/tokenizer.h"

namespace ponder {

class TokenDecoder {
public:
    // Keeps its own handle on the tokenizer's data, so it may outlive
    // `tokenizer`. renderControl as in Tokenizer::decode().
    explicit TokenDecoder(const Tokenizer& tokenizer, bool renderControl = true);

    // The complete UTF-8 text that `id` finishes; often empty mid-character.
    std::string push(int32_t id);
    // The held partial character, as U+FFFD, and a clean state; empty when
    // nothing is held. Call at the end of the stream.
    std::string flush();
    // Drops any held bytes, for a new stream.
    void reset();
    // How many bytes of an incomplete character are held (0..3).
    size_t pendingBytes() const { return m_pending.size(); }

private:
    Tokenizer m_tokenizer;
    bool m_renderControl;
    std::string m_pending;
};

} // namespace ponder
