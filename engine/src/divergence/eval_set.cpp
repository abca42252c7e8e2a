#include "ponder/eval_set.h"

#include <fstream>
#include <map>
#include <string>

namespace ponder {
namespace {

// Far beyond any prompt set a person writes; a file larger than this is
// not one, and reading it whole would only waste memory.
constexpr uintmax_t kLargestFile = 16u << 20;
constexpr std::string_view kHeader = "=== ";
constexpr std::string_view kSeparator = " | ";
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool isBlank(std::string_view line)
{
    return trimmed(line).empty();
}

Error lineError(size_t line, const std::string& what)
{
    return Error{ErrorCode::InvalidArgument, "line " + std::to_string(line) + ": " + what};
}

// "=== id | category | expected" without its "=== ", into the prompt's fields.
Result<ComparisonPrompt> parseHeader(std::string_view fields, size_t line)
{
    std::vector<std::string_view> parts;
    for (;;) {
        const size_t bar = fields.find(kSeparator);
        parts.push_back(trimmed(fields.substr(0, bar)));
        if (bar == std::string_view::npos)
            break;
        fields.remove_prefix(bar + kSeparator.size());
    }
    if (parts.size() < 2 || parts.size() > 3)
        return std::unexpected(lineError(line, "a prompt's header is \"=== id | category\" or \"=== id | category | "
                                               "expected answer\""));
    if (parts[0].empty())
        return std::unexpected(lineError(line, "the prompt has no id"));
    if (parts[1].empty())
        return std::unexpected(lineError(line, "prompt \"" + std::string(parts[0]) + "\" has no category"));
    ComparisonPrompt prompt;
    prompt.id = parts[0];
    prompt.category = parts[1];
    if (parts.size() == 3)
        prompt.expected = parts[2];
    return prompt;
}

// Joins a prompt's lines without the blank lines around them.
std::string promptText(const std::vector<std::string_view>& lines)
{
    size_t first = 0, end = lines.size();
    while (first < end && isBlank(lines[first]))
        ++first;
    while (end > first && isBlank(lines[end - 1]))
        --end;
    std::string text;
    for (size_t i = first; i < end; ++i) {
        if (i > first)
            text += '\n';
        text += lines[i];
    }
    return text;
}

} // namespace

Result<std::vector<ComparisonPrompt>> parseEvalSet(std::string_view text)
{
    if (text.starts_with(kByteOrderMark))
        text.remove_prefix(kByteOrderMark.size());
    std::vector<ComparisonPrompt> prompts;
    std::vector<size_t> headerLines;        // of each prompt, for its errors
    std::map<std::string, size_t> idLines;  // where each id was first used
    std::vector<std::string_view> body;     // the current prompt's lines

    const auto finishPrompt = [&]() -> Result<void> {
        if (prompts.empty())
            return {};
        prompts.back().text = promptText(body);
        body.clear();
        if (prompts.back().text.empty())
            return std::unexpected(lineError(headerLines.back(), "prompt \"" + prompts.back().id + "\" has no text"));
        return {};
    };

    size_t lineNumber = 0;
    while (!text.empty()) {
        ++lineNumber;
        const size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        if (line.ends_with('\r'))
            line.remove_suffix(1);

        if (line.starts_with(kHeader) || line == trimmed(kHeader)) {
            PONDER_TRY(finishPrompt());
            auto prompt = parseHeader(line.substr(std::min(line.size(), kHeader.size())), lineNumber);
            if (!prompt)
                return std::unexpected(prompt.error());
            if (const auto [at, fresh] = idLines.emplace(prompt->id, lineNumber); !fresh)
                return std::unexpected(lineError(lineNumber, "the id \"" + prompt->id + "\" is already used on line " +
                                                                 std::to_string(at->second)));
            prompts.push_back(std::move(*prompt));
            headerLines.push_back(lineNumber);
        } else if (!prompts.empty()) {
            // Inside a prompt every line is its text, "#" included: a
            // Python comment or a Markdown heading belongs to the prompt.
            body.push_back(line);
        } else if (!isBlank(line) && !line.starts_with('#')) {
            return std::unexpected(lineError(lineNumber, "text before the first prompt (a prompt starts with \"=== "
                                                         "id | category\")"));
        }
    }
    PONDER_TRY(finishPrompt());
    if (prompts.empty())
        return fail(ErrorCode::InvalidArgument, "the set holds no prompts");
    return prompts;
}

Result<std::vector<ComparisonPrompt>> readEvalSet(const std::filesystem::path& path)
{
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(path, error);
    if (error)
        return fail(error == std::errc::no_such_file_or_directory ? ErrorCode::NotFound : ErrorCode::Io,
                    path.string() + ": " + error.message());
    if (size > kLargestFile)
        return fail(ErrorCode::InvalidArgument,
                    path.string() + ": " + std::to_string(size) + " bytes is too large for a prompt set");
    std::ifstream file(path, std::ios::binary);
    if (!file.is_open())
        return fail(ErrorCode::Io, path.string() + ": could not be opened");
    std::string text(size_t(size), '\0');
    if (!file.read(text.data(), std::streamsize(size)))
        return fail(ErrorCode::Io, path.string() + ": could not be read");
    auto prompts = parseEvalSet(text);
    if (!prompts)
        return fail(prompts.error().code, path.string() + ": " + prompts.error().message);
    return prompts;
}

} // namespace ponder
