// The Vulkan instance, optionally with the Khronos validation layer and a
// messenger that records every message it reports.
#pragma once

#include <vulkan/vulkan.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ponder/error.h"

namespace ponder::vk {

struct InstanceOptions {
    // Enables VK_LAYER_KHRONOS_validation and collects its messages. Also
    // turned on by the environment variable PONDER_VALIDATION=1.
    bool validation = false;
    // Called for each validation message (warnings and errors), on whatever
    // thread the driver reports it.
    std::function<void(std::string_view)> onValidationMessage;
};

class Instance {
public:
    static Result<std::shared_ptr<Instance>> create(const InstanceOptions& options = {});
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;

    VkInstance handle() const { return m_instance; }
    bool validationEnabled() const { return m_messenger != VK_NULL_HANDLE; }

    // Validation warnings and errors reported so far (empty without validation).
    std::vector<std::string> validationMessages() const;

private:
    Instance() = default;
    static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                    VkDebugUtilsMessageTypeFlagsEXT types,
                                                    const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                    void* self);

    VkInstance m_instance = VK_NULL_HANDLE;
    VkDebugUtilsMessengerEXT m_messenger = VK_NULL_HANDLE;
    std::function<void(std::string_view)> m_onValidationMessage;
    mutable std::mutex m_messagesMutex;
    std::vector<std::string> m_messages;
};

} // namespace ponder::vk
