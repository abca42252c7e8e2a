#include "ponder/vk/instance.h"

#include <cstdlib>
#include <cstring>

#include "check.h"

namespace ponder::vk {
namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool validationRequestedByEnvironment()
{
    const char* value = std::getenv("PONDER_VALIDATION");
    return value && *value && std::strcmp(value, "0") != 0;
}

bool layerAvailable(const char* name)
{
    uint32_t count = 0;
    vkEnumerateInstanceLayerProperties(&count, nullptr);
    std::vector<VkLayerProperties> layers(count);
    vkEnumerateInstanceLayerProperties(&count, layers.data());
    for (const auto& layer : layers)
        if (std::strcmp(layer.layerName, name) == 0)
            return true;
    return false;
}

bool instanceExtensionAvailable(const char* name)
{
    uint32_t count = 0;
    vkEnumerateInstanceExtensionProperties(nullptr, &count, nullptr);
    std::vector<VkExtensionProperties> extensions(count);
    vkEnumerateInstanceExtensionProperties(nullptr, &count, extensions.data());
    for (const auto& extension : extensions)
        if (std::strcmp(extension.extensionName, name) == 0)
            return true;
    return false;
}

} // namespace

Result<std::shared_ptr<Instance>> Instance::create(const InstanceOptions& options)
{
    std::shared_ptr<Instance> instance(new Instance());
    const bool validation = options.validation || validationRequestedByEnvironment();

    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "Ponder";
    app.applicationVersion = VK_MAKE_VERSION(0, 1, 0);
    app.pEngineName = "Ponder";
    app.engineVersion = VK_MAKE_VERSION(0, 1, 0);
    app.apiVersion = VK_API_VERSION_1_2;

    std::vector<const char*> layers;
    std::vector<const char*> extensions;
    // Lets the loader list portability (MoltenVK) devices too.
    const bool portability = instanceExtensionAvailable(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
    if (portability)
        extensions.push_back(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
    if (validation) {
        if (!layerAvailable(kValidationLayer))
            return fail(ErrorCode::Unsupported,
                        "validation was requested but VK_LAYER_KHRONOS_validation is not installed "
                        "(Debian package vulkan-validationlayers)");
        layers.push_back(kValidationLayer);
        extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    }

    VkDebugUtilsMessengerCreateInfoEXT messengerInfo{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
    messengerInfo.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                    VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    messengerInfo.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
    messengerInfo.pfnUserCallback = &Instance::onMessage;
    messengerInfo.pUserData = instance.get();

    VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    info.enabledLayerCount = static_cast<uint32_t>(layers.size());
    info.ppEnabledLayerNames = layers.data();
    info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
    info.ppEnabledExtensionNames = extensions.data();
    if (portability)
        info.flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
    // Also reports problems inside vkCreateInstance itself.
    if (validation)
        info.pNext = &messengerInfo;

    instance->m_onValidationMessage = options.onValidationMessage;
    PONDER_VK_TRY(vkCreateInstance(&info, nullptr, &instance->m_instance), "creating the Vulkan instance");

    if (validation) {
        auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(instance->m_instance, "vkCreateDebugUtilsMessengerEXT"));
        if (!create)
            return fail(ErrorCode::Unsupported, "VK_EXT_debug_utils is not available");
        PONDER_VK_TRY(create(instance->m_instance, &messengerInfo, nullptr, &instance->m_messenger),
                      "creating the validation messenger");
    }
    return instance;
}

Instance::~Instance()
{
    if (m_messenger != VK_NULL_HANDLE) {
        auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
            vkGetInstanceProcAddr(m_instance, "vkDestroyDebugUtilsMessengerEXT"));
        if (destroy)
            destroy(m_instance, m_messenger, nullptr);
    }
    if (m_instance != VK_NULL_HANDLE)
        vkDestroyInstance(m_instance, nullptr);
}

std::vector<std::string> Instance::validationMessages() const
{
    std::lock_guard lock(m_messagesMutex);
    return m_messages;
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                   void* self)
{
    auto* instance = static_cast<Instance*>(self);
    std::string text = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "error: " : "warning: ";
    text += data && data->pMessage ? data->pMessage : "(no message)";
    {
        std::lock_guard lock(instance->m_messagesMutex);
        instance->m_messages.push_back(text);
    }
    if (instance->m_onValidationMessage)
        instance->m_onValidationMessage(text);
    return VK_FALSE;
}

} // namespace ponder::vk
