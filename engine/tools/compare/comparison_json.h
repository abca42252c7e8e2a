// ponder-compare's JSON: a comparison's models, their statistics named as
// llama.cpp's perplexity tool names them, and each prompt's answers.
#pragma once

#include <span>
#include <string>

#include "ponder/quant_comparison.h"

namespace ponder::tools {

std::string comparisonJson(const ComparisonResult& result, std::span<const ComparisonPrompt> prompts,
                           const std::string& device);

} // namespace ponder::tools
