// Errors as values: everything in the engine that can fail at run time returns
// Result<T>, never throws past its API, and never exits the process.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace ponder {

enum class ErrorCode {
    InvalidArgument,  // the caller passed something unusable
    NotFound,         // a file, tensor, key or device that is not there
    Io,               // reading or writing a file failed
    Malformed,        // a file's contents break its format
    Unsupported,      // a valid request this build or device cannot serve
    OutOfMemory,      // host or device memory exhausted
    DeviceLost,       // the GPU or its driver went away
    Vulkan,           // any other Vulkan failure
    Cancelled,        // the caller asked to stop
    NeedMoreData,     // a prefix of a stream is too short to decide
    ContextFull,      // the session has no room for more tokens
};

struct Error {
    ErrorCode code;
    std::string message;  // one line a person can read, naming what is wrong
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for `return fail(ErrorCode::Io, "...")` in functions returning Result<T>.
inline std::unexpected<Error> fail(ErrorCode code, std::string message)
{
    return std::unexpected<Error>(Error{code, std::move(message)});
}

const char* errorCodeName(ErrorCode code);

} // namespace ponder

// Inside a function returning Result<T>: evaluates `expr` (any Result) and
// returns its error when it failed.
#define PONDER_TRY(expr)                                    \
    do {                                                    \
        if (auto ponder_try_ = (expr); !ponder_try_)        \
            return std::unexpected(ponder_try_.error());    \
    } while (false)
