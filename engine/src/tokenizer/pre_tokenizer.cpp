#include "tokenizer/pre_tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <string>
#include <utility>

namespace ponder {

namespace {

// Hugging Face writes the contractions as (?i:'s|'t|'re|'ve|'m|'ll|'d).
// Spelled out as classes, as the JavaScript reference and llama.cpp do, a
// caseless match cannot take U+017F (ſ) for s.
constexpr std::string_view kContractions = R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]))";

// Qwen2's tokenizer.json, with single digits.
constexpr std::string_view kQwen2Pattern =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Llama 3's tokenizer.json: the same with runs of up to three digits.
constexpr std::string_view kLlama3Pattern =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

static_assert(kQwen2Pattern.starts_with(kContractions) && kLlama3Pattern.starts_with(kContractions));

size_t codePointLength(uint8_t lead)
{
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

} // namespace

std::optional<PreTokenizerStyle> preTokenizerStyle(std::string_view preName)
{
    if (preName == "qwen2" || preName == "deepseek-r1-qwen")
        return PreTokenizerStyle{kQwen2Pattern, true, false};
    if (preName == "llama-bpe" || preName == "llama3")
        return PreTokenizerStyle{kLlama3Pattern, false, true};
    return std::nullopt;
}

// Owns the compiled pattern; shared by every copy of the tokenizer and used
// read-only, which PCRE2 allows from several threads at once.
struct PreTokenizer::Code {
    pcre2_code* code = nullptr;

    Code() = default;
    Code(const Code&) = delete;
    Code& operator=(const Code&) = delete;
    ~Code() { pcre2_code_free(code); }
};

PreTokenizer::PreTokenizer(std::shared_ptr<const Code> code)
    : m_code(std::move(code))
{
}

Result<PreTokenizer> PreTokenizer::create(std::string_view pattern)
{
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    auto code = std::make_shared<Code>();
    code->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                               PCRE2_UTF | PCRE2_UCP, &errorCode, &errorOffset, nullptr);
    if (!code->code) {
        std::array<PCRE2_UCHAR, 256> message{};
        pcre2_get_error_message(errorCode, message.data(), message.size());
        return fail(ErrorCode::Unsupported, "pre-tokenizer regex rejected by PCRE2 at offset " +
                                                std::to_string(errorOffset) + ": " +
                                                reinterpret_cast<const char*>(message.data()));
    }
    // Where JIT is unavailable (a build or platform without it) this fails
    // and pcre2_match interprets the same pattern, only slower.
    pcre2_jit_compile(code->code, PCRE2_JIT_COMPLETE);
    return PreTokenizer(std::move(code));
}

void PreTokenizer::split(std::string_view text, std::vector<std::string_view>& pieces) const
{
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(m_code->code, nullptr), &pcre2_match_data_free);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    size_t unmatched = 0;  // start of text no match has covered yet
    size_t pos = 0;
    while (match && pos < text.size()) {
        // The text was validated by the caller, so PCRE2 need not check it again.
        int rc = pcre2_match(m_code->code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK, match.get(), nullptr);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
            // The JIT's 32 KiB stack ran out; the interpreter keeps its
            // backtracking state on the heap.
            rc = pcre2_match(m_code->code, subject, text.size(), pos, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                             match.get(), nullptr);
        }
        if (rc < 0)
            break;  // no match, or a limit hit: the rest becomes one piece below
        const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
        const size_t begin = ovector[0];
        const size_t end = ovector[1];
        if (begin < pos || end < begin || end > text.size())
            break;
        if (end == begin) {
            // None of our patterns matches empty text; step over one code point
            // anyway so a different pattern cannot loop forever.
            if (begin >= text.size())
                break;
            pos = begin + codePointLength(uint8_t(text[begin]));
            continue;
        }
        if (begin > unmatched)
            pieces.push_back(text.substr(unmatched, begin - unmatched));
        pieces.push_back(text.substr(begin, end - begin));
        pos = unmatched = end;
    }
    if (unmatched < text.size())
        pieces.push_back(text.substr(unmatched));
}

} // namespace ponder
