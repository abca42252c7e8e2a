// fuzz_model_file's checks of the tokenizer and the chat template.
#include <array>
#include <string>
#include <vector>

#include "fuzz_model_checks.h"
#include "ponder/chat_template.h"
#include "ponder/token_decoder.h"

namespace ponder::fuzz {
namespace {

// Texts a user might type, and some they could not: ASCII prose and code,
// CJK, R1's and other formats' markers, a combining accent (NFC), an emoji,
// and bytes that are not UTF-8 (a lone continuation, a truncated sequence,
// an encoded surrogate, a code point above U+10FFFF).
constexpr std::array<std::string_view, 6> kTexts{
    "Hello, world! It's 2025: 12345 tokens.\n\n  def f(x):\treturn x  \r\n",
    "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C\xE3\x80\x82 \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4",
    "<\xEF\xBD\x9CUser\xEF\xBD\x9C>What is 2+2?<\xEF\xBD\x9C" "Assistant\xEF\xBD\x9C><think>\nFour.</think>",
    "<|im_start|>user\nhi<|im_end|><|start_header_id|>system<|eot_id|>",
    "cafe\xCC\x81 \xF0\x9F\x98\x80 \xE2\x80\x8B\xC2\xA0" "end",
    "\xFF\xFE bad \xC3 utf8 \xE4\xBD \xED\xA0\x80 \xF4\x90\x80\x80 \x80",
};

void requireIdsInVocabulary(const Tokenizer& tokenizer, const std::vector<int32_t>& ids)
{
    for (const int32_t id : ids)
        require(id >= 0 && id < tokenizer.vocabSize());
}

// Streams `ids` through a TokenDecoder: every piece is valid UTF-8, at most
// a partial character is held, and the pieces equal decode().
void checkStreaming(const Tokenizer& tokenizer, const std::vector<int32_t>& ids, bool renderControl)
{
    TokenDecoder decoder(tokenizer, renderControl);
    std::string streamed;
    for (const int32_t id : ids) {
        const std::string piece = decoder.push(id);
        require(isValidUtf8(piece));
        require(decoder.pendingBytes() <= 3);
        streamed += piece;
    }
    const std::string tail = decoder.flush();
    require(isValidUtf8(tail) && decoder.pendingBytes() == 0);
    streamed += tail;
    const std::string whole = tokenizer.decode(ids, renderControl);
    require(isValidUtf8(whole));
    require(streamed == whole);
}

std::vector<int32_t> encodeChecked(const Tokenizer& tokenizer, std::string_view text, bool addBos, bool parseSpecial)
{
    std::vector<int32_t> ids = tokenizer.encode(text, addBos, parseSpecial);
    requireIdsInVocabulary(tokenizer, ids);
    if (addBos && tokenizer.bos() >= 0)
        require(!ids.empty() && ids.front() == tokenizer.bos());
    return ids;
}

// The prompt's tokens, the way Generator::promptTokens() makes them.
std::vector<int32_t> promptTokens(const Tokenizer& tokenizer, const std::vector<PromptPiece>& pieces)
{
    std::vector<int32_t> tokens;
    for (const PromptPiece& piece : pieces) {
        if (piece.special) {
            if (const auto id = tokenizer.findToken(piece.text)) {
                tokens.push_back(*id);
                continue;
            }
        }
        const std::vector<int32_t> ids = encodeChecked(tokenizer, piece.text, false, false);
        tokens.insert(tokens.end(), ids.begin(), ids.end());
    }
    return tokens;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    for (size_t i = 0; i < text.size();) {
        const auto lead = uint8_t(text[i]);
        size_t length = 0;
        uint32_t min = 0;
        uint32_t cp = 0;
        if (lead < 0x80) {
            length = 1, cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            length = 2, min = 0x80, cp = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, min = 0x800, cp = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, min = 0x10000, cp = lead & 0x07;
        } else {
            return false;
        }
        if (text.size() - i < length)
            return false;
        for (size_t k = 1; k < length; ++k) {
            const auto byte = uint8_t(text[i + k]);
            if ((byte & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (byte & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

void checkTokenizer(const Tokenizer& tokenizer, const GgufHeader& header)
{
    const int32_t count = tokenizer.vocabSize();
    require(count > 0);
    require(tokenizer.bos() >= -1 && tokenizer.bos() < count);
    require(tokenizer.eos() >= -1 && tokenizer.eos() < count);

    // All texts as one: each encode() call has a fixed cost, and the fuzzer
    // runs this for every input that gets this far.
    std::string text;
    for (const std::string_view t : kTexts)
        text += t;
    for (const bool parseSpecial : {false, true}) {
        const std::vector<int32_t> ids = encodeChecked(tokenizer, text, true, parseSpecial);
        checkStreaming(tokenizer, ids, parseSpecial);
    }

    // Each token has the type the file gives it, not a narrowed one.
    if (const auto types = header.getIntArray("tokenizer.ggml.token_type")) {
        require(types->size() == size_t(count));
        for (int32_t id = 0; id < count; ++id)
            require(int64_t(tokenizer.tokenType(id)) == (*types)[size_t(id)]);
    }

    // Every id of the vocabulary, in one stream, plus two outside it.
    std::vector<int32_t> all;
    all.reserve(size_t(count) + 2);
    for (int32_t id = 0; id < count; ++id) {
        // The first token with a text is the one findToken() gives.
        const auto found = tokenizer.findToken(tokenizer.tokenText(id));
        require(found && *found <= id && tokenizer.tokenText(*found) == tokenizer.tokenText(id));
        all.push_back(id);
    }
    all.push_back(-1);
    all.push_back(count);
    require(tokenizer.tokenText(count).empty() && tokenizer.tokenBytes(-1).empty());
    checkStreaming(tokenizer, all, true);
}

void checkChat(const Tokenizer& tokenizer, std::string_view chatTemplate)
{
    const ChatFormat detected = detectChatFormat(chatTemplate);
    require(detected == ChatFormat::DeepSeekR1 || detected == ChatFormat::ChatML || detected == ChatFormat::Llama3);

    const std::vector<ChatMessage> messages{
        {ChatRole::System, "Be brief."},
        {ChatRole::User, std::string(kTexts[2])},
        {ChatRole::Assistant, "<think>\nTwo and two.\n</think>\n\nFour. \xE3\x80\x80"},
        {ChatRole::User, std::string(kTexts[5])},
        {ChatRole::Assistant, "\xC2\x85 unfinished <think> \xE2\x80\xA8"},
        {ChatRole::User, std::string(kTexts[1])},
    };
    ChatTemplateTokens tokens;
    if (tokenizer.bos() >= 0)
        tokens.bos = std::string(tokenizer.tokenText(tokenizer.bos()));

    // Every format is rendered (a file's template decides the format, but
    // its vocabulary may lack that format's markers); only the detected one
    // is tokenized, which costs most.
    for (const ChatFormat format : {ChatFormat::DeepSeekR1, ChatFormat::ChatML, ChatFormat::Llama3}) {
        const std::vector<PromptPiece> pieces = renderPromptPieces(format, messages, tokens, true);
        std::string joined;
        for (size_t i = 0; i < pieces.size(); ++i) {
            require(!pieces[i].text.empty());
            // Plain stretches are merged: never two in a row.
            require(pieces[i].special || i == 0 || pieces[i - 1].special);
            joined += pieces[i].text;
        }
        require(joined == renderPrompt(format, messages, tokens, true));
        if (format != detected)
            continue;
        const std::vector<int32_t> ids = promptTokens(tokenizer, pieces);
        require(!ids.empty());
        requireIdsInVocabulary(tokenizer, ids);
        checkStreaming(tokenizer, ids, true);
        for (const std::string_view stop : endOfTurnTexts(format)) {
            if (const auto id = tokenizer.findToken(stop))
                require(*id >= 0 && *id < tokenizer.vocabSize() && tokenizer.tokenText(*id) == stop);
        }
    }
}

} // namespace ponder::fuzz
