#include "arguments.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ponder::tools {

Arguments::Arguments(std::set<std::string> valued, std::set<std::string> flags)
    : m_valued(std::move(valued)), m_flags(std::move(flags))
{
}

Result<void> Arguments::parse(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--", 0) != 0)
            return fail(ErrorCode::InvalidArgument, "unexpected argument '" + arg + "' (options start with --)");
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (m_flags.contains(name)) {
            if (inlineValue)
                return fail(ErrorCode::InvalidArgument, "--" + name + " takes no value");
            m_present.insert(name);
        } else if (m_valued.contains(name)) {
            if (inlineValue) {
                m_values[name] = *inlineValue;
            } else {
                if (i + 1 >= argc)
                    return fail(ErrorCode::InvalidArgument, "--" + name + " needs a value");
                m_values[name] = argv[++i];
            }
            m_present.insert(name);
        } else {
            return fail(ErrorCode::InvalidArgument, "unknown option --" + name + " (see --help)");
        }
    }
    return {};
}

bool Arguments::has(const std::string& name) const
{
    return m_present.contains(name);
}

std::optional<std::string> Arguments::text(const std::string& name) const
{
    if (auto found = m_values.find(name); found != m_values.end())
        return found->second;
    return std::nullopt;
}

Result<std::optional<long long>> Arguments::integer(const std::string& name, long long min, long long max) const
{
    const auto value = text(name);
    if (!value)
        return std::optional<long long>();
    errno = 0;
    char* end = nullptr;
    const long long parsed = std::strtoll(value->c_str(), &end, 10);
    if (errno || end == value->c_str() || *end || parsed < min || parsed > max)
        return fail(ErrorCode::InvalidArgument, "--" + name + " must be an integer from " + std::to_string(min) +
                                                    " to " + std::to_string(max) + ", not '" + *value + "'");
    return std::optional<long long>(parsed);
}

Result<std::optional<double>> Arguments::number(const std::string& name, double min, double max) const
{
    const auto value = text(name);
    if (!value)
        return std::optional<double>();
    errno = 0;
    char* end = nullptr;
    const double parsed = std::strtod(value->c_str(), &end);
    if (errno || end == value->c_str() || *end || !std::isfinite(parsed) || parsed < min || parsed > max)
    {
        char range[96];
        std::snprintf(range, sizeof range, "from %g to %g", min, max);
        return fail(ErrorCode::InvalidArgument, "--" + name + " must be a number " + range + ", not '" + *value + "'");
    }
    return std::optional<double>(parsed);
}

} // namespace ponder::tools
