#include "ponder/error.h"

namespace ponder {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::Io: return "I/O error";
    case ErrorCode::Malformed: return "malformed data";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::OutOfMemory: return "out of memory";
    case ErrorCode::DeviceLost: return "device lost";
    case ErrorCode::Vulkan: return "Vulkan error";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::NeedMoreData: return "need more data";
    case ErrorCode::ContextFull: return "context full";
    }
    return "unknown error";
}

} // namespace ponder
