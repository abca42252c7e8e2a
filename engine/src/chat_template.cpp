#include "ponder/chat_template.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace ponder {
namespace {

// DeepSeek-R1 markers: full-width vertical bars (U+FF5C) and, in the
// sentence tokens, U+2581 in place of spaces.
constexpr std::string_view kR1User = "<｜User｜>";
constexpr std::string_view kR1Assistant = "<｜Assistant｜>";
constexpr std::string_view kR1EndOfSentence = "<｜end▁of▁sentence｜>";
constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

constexpr std::string_view kImStart = "<|im_start|>";
constexpr std::string_view kImEnd = "<|im_end|>";
constexpr std::string_view kEndOfText = "<|endoftext|>";

constexpr std::string_view kStartHeader = "<|start_header_id|>";
constexpr std::string_view kEndHeader = "<|end_header_id|>";
constexpr std::string_view kEotId = "<|eot_id|>";
constexpr std::string_view kLlamaEndOfText = "<|end_of_text|>";

constexpr std::array<std::string_view, 1> kR1Stops{kR1EndOfSentence};
constexpr std::array<std::string_view, 2> kChatMlStops{kImEnd, kEndOfText};
constexpr std::array<std::string_view, 2> kLlama3Stops{kEotId, kLlamaEndOfText};

// Collects pieces, merging consecutive plain text into one piece.
class PieceWriter {
public:
    void special(std::string_view text)
    {
        if (!text.empty())
            m_pieces.push_back({std::string(text), true});
    }

    void text(std::string_view text)
    {
        if (text.empty())
            return;
        if (m_pieces.empty() || m_pieces.back().special)
            m_pieces.push_back({std::string(), false});
        m_pieces.back().text += text;
    }

    std::vector<PromptPiece> take() { return std::move(m_pieces); }

private:
    std::vector<PromptPiece> m_pieces;
};

std::string_view roleName(ChatRole role)
{
    switch (role) {
    case ChatRole::System: return "system";
    case ChatRole::User: return "user";
    case ChatRole::Assistant: return "assistant";
    }
    return "user";
}

// Decodes the UTF-8 code point starting at text[pos]; returns its length in
// bytes, or 0 for a malformed sequence (which trimming treats as text).
size_t decodeUtf8(std::string_view text, size_t pos, char32_t& codePoint)
{
    const auto lead = static_cast<unsigned char>(text[pos]);
    size_t length = 0;
    if (lead < 0x80) {
        codePoint = lead;
        return 1;
    } else if ((lead & 0xE0) == 0xC0) {
        length = 2;
        codePoint = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        codePoint = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        codePoint = lead & 0x07;
    } else {
        return 0;
    }
    if (pos + length > text.size())
        return 0;
    for (size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80)
            return 0;
        codePoint = (codePoint << 6) | (next & 0x3F);
    }
    return length;
}

// Python's str.isspace(): what Jinja's `trim` filter strips.
bool isPythonSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
        || c == 0x3000;
}

std::string_view trimPythonSpace(std::string_view text)
{
    size_t begin = 0;
    while (begin < text.size()) {
        char32_t c = 0;
        const size_t length = decodeUtf8(text, begin, c);
        if (length == 0 || !isPythonSpace(c))
            break;
        begin += length;
    }
    size_t end = text.size();
    while (end > begin) {
        size_t start = end - 1;
        // Step back over continuation bytes to the start of the last code point.
        while (start > begin && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
            --start;
        char32_t c = 0;
        const size_t length = decodeUtf8(text, start, c);
        if (length != end - start || !isPythonSpace(c))
            break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

void renderDeepSeekR1(PieceWriter& out, std::span<const ChatMessage> messages, const ChatTemplateTokens& tokens,
                      bool addGenerationPrompt)
{
    std::string system;
    bool firstSystem = true;
    for (const auto& message : messages) {
        if (message.role != ChatRole::System)
            continue;
        if (!firstSystem)
            system += "\n\n";
        system += message.content;
        firstSystem = false;
    }
    out.special(tokens.bos);
    out.text(system);
    for (const auto& message : messages) {
        if (message.role == ChatRole::User) {
            out.special(kR1User);
            out.text(message.content);
        } else if (message.role == ChatRole::Assistant) {
            out.special(kR1Assistant);
            out.text(assistantAnswer(message.content));
            out.special(kR1EndOfSentence);
        }
    }
    if (addGenerationPrompt) {
        out.special(kR1Assistant);
        out.special(kThinkOpen);
        out.text("\n");
    }
}

void renderChatMl(PieceWriter& out, std::span<const ChatMessage> messages, bool addGenerationPrompt)
{
    for (const auto& message : messages) {
        std::string_view content = message.content;
        if (message.role == ChatRole::Assistant && content.find(kThinkClose) != std::string_view::npos) {
            content = assistantAnswer(content);
            content.remove_prefix(std::min(content.find_first_not_of('\n'), content.size()));
        }
        out.special(kImStart);
        out.text(roleName(message.role));
        out.text("\n");
        out.text(content);
        out.special(kImEnd);
        out.text("\n");
    }
    if (addGenerationPrompt) {
        out.special(kImStart);
        out.text("assistant\n");
    }
}

void renderLlama3(PieceWriter& out, std::span<const ChatMessage> messages, const ChatTemplateTokens& tokens,
                  bool addGenerationPrompt)
{
    out.special(tokens.bos);
    for (const auto& message : messages) {
        std::string_view content = message.content;
        if (message.role == ChatRole::Assistant)
            content = assistantAnswer(content);
        out.special(kStartHeader);
        out.text(roleName(message.role));
        out.special(kEndHeader);
        out.text("\n\n");
        out.text(trimPythonSpace(content));
        out.special(kEotId);
    }
    if (addGenerationPrompt) {
        out.special(kStartHeader);
        out.text("assistant");
        out.special(kEndHeader);
        out.text("\n\n");
    }
}

} // namespace

std::string_view chatFormatName(ChatFormat format)
{
    switch (format) {
    case ChatFormat::DeepSeekR1: return "DeepSeek-R1";
    case ChatFormat::ChatML: return "ChatML";
    case ChatFormat::Llama3: return "Llama 3";
    }
    return "unknown";
}

ChatFormat detectChatFormat(std::string_view jinjaTemplate)
{
    const auto contains = [&](std::string_view marker) {
        return jinjaTemplate.find(marker) != std::string_view::npos;
    };
    if (contains(kR1Assistant) || contains(kR1User))
        return ChatFormat::DeepSeekR1;
    if (contains(kImStart))
        return ChatFormat::ChatML;
    if (contains(kStartHeader))
        return ChatFormat::Llama3;
    return ChatFormat::DeepSeekR1;
}

std::string_view assistantAnswer(std::string_view content)
{
    const size_t close = content.rfind(kThinkClose);
    if (close == std::string_view::npos)
        return content;
    return content.substr(close + kThinkClose.size());
}

std::vector<PromptPiece> renderPromptPieces(ChatFormat format, std::span<const ChatMessage> messages,
                                            const ChatTemplateTokens& tokens, bool addGenerationPrompt)
{
    PieceWriter out;
    switch (format) {
    case ChatFormat::DeepSeekR1: renderDeepSeekR1(out, messages, tokens, addGenerationPrompt); break;
    case ChatFormat::ChatML: renderChatMl(out, messages, addGenerationPrompt); break;
    case ChatFormat::Llama3: renderLlama3(out, messages, tokens, addGenerationPrompt); break;
    }
    return out.take();
}

std::string renderPrompt(ChatFormat format, std::span<const ChatMessage> messages, const ChatTemplateTokens& tokens,
                         bool addGenerationPrompt)
{
    std::string prompt;
    for (const auto& piece : renderPromptPieces(format, messages, tokens, addGenerationPrompt))
        prompt += piece.text;
    return prompt;
}

std::span<const std::string_view> endOfTurnTexts(ChatFormat format)
{
    switch (format) {
    case ChatFormat::DeepSeekR1: return kR1Stops;
    case ChatFormat::ChatML: return kChatMlStops;
    case ChatFormat::Llama3: return kLlama3Stops;
    }
    return kR1Stops;
}

} // namespace ponder
