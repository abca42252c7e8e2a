// Prompt sets for comparing quants (resources/eval/r1-eval.txt is the one
// Ponder ships). A plain text format, so a person can read and extend one:
//
//   # a comment line
//   === math-01 | math | 42
//   What is the sum of the first ten odd numbers? Put the answer in \boxed{}.
//   === code-01 | code
//   Write a Python function ...
//
// A line starting with "=== " opens a prompt: its id, its category and,
// optionally, the expected answer, separated by " | ". The lines up to the
// next such line (blank lines before and after trimmed) are its text.
// Comment and blank lines count as such only before the first prompt;
// inside one, a line starting with "#" is text (a Python comment, a
// Markdown heading). CRLF line ends and a UTF-8 byte order mark are read
// as plain LF text.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "ponder/error.h"
#include "ponder/quant_comparison.h"

namespace ponder {

// InvalidArgument, naming the line, for text before the first prompt, a
// header without an id or category (or with more than three fields), an id
// used twice, or a prompt without text; InvalidArgument too for a set with
// no prompt at all. readEvalSet's messages begin with the path.
Result<std::vector<ComparisonPrompt>> parseEvalSet(std::string_view text);
Result<std::vector<ComparisonPrompt>> readEvalSet(const std::filesystem::path& path);

} // namespace ponder
