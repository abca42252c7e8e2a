// Turns a VkResult into an Error with the right code and a readable message.
#pragma once

#include <vulkan/vulkan.h>

#include <string>

#include "ponder/error.h"

namespace ponder::vk {

const char* resultName(VkResult result);

inline Error vulkanError(VkResult result, const std::string& what)
{
    ErrorCode code = ErrorCode::Vulkan;
    switch (result) {
    case VK_ERROR_OUT_OF_HOST_MEMORY:
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_POOL_MEMORY:
    case VK_ERROR_FRAGMENTED_POOL:
        code = ErrorCode::OutOfMemory;
        break;
    case VK_ERROR_DEVICE_LOST:
        code = ErrorCode::DeviceLost;
        break;
    case VK_ERROR_INITIALIZATION_FAILED:
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_EXTENSION_NOT_PRESENT:
    case VK_ERROR_FEATURE_NOT_PRESENT:
    case VK_ERROR_LAYER_NOT_PRESENT:
        code = ErrorCode::Unsupported;
        break;
    default:
        break;
    }
    return Error{code, what + " failed: " + resultName(result)};
}

} // namespace ponder::vk

// Inside a function returning Result<T>: returns the error when `call` fails.
#define PONDER_VK_TRY(call, what)                                   \
    do {                                                            \
        if (VkResult ponder_vk_result_ = (call); ponder_vk_result_ < 0) \
            return std::unexpected(::ponder::vk::vulkanError(ponder_vk_result_, (what))); \
    } while (false)
