// Command-line parsing for the tools: `--name value` and `--flag` options
// declared up front, so an unknown flag or a missing value is a one-line
// error rather than a surprise.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ponder/error.h"

namespace ponder::tools {

class Arguments {
public:
    // `valued` options take a value; `flags` do not. Names without the "--".
    Arguments(std::set<std::string> valued, std::set<std::string> flags);

    Result<void> parse(int argc, char** argv);

    bool has(const std::string& name) const;
    std::optional<std::string> text(const std::string& name) const;
    // InvalidArgument naming the option when the value is not a number in range.
    Result<std::optional<long long>> integer(const std::string& name, long long min, long long max) const;
    Result<std::optional<double>> number(const std::string& name, double min, double max) const;

private:
    std::set<std::string> m_valued;
    std::set<std::string> m_flags;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_present;
};

} // namespace ponder::tools
