#include "gpu_fixture.h"

#include "ponder/vk/adapter.h"

namespace ponder::test {

bool runningInCi()
{
    const QByteArray ci = qgetenv("CI");
    return !ci.isEmpty() && ci != "0" && ci.toLower() != "false";
}

bool GpuFixture::open()
{
    if (m_device)
        return true;
    vk::InstanceOptions options;
    options.validation = qEnvironmentVariableIntValue("PONDER_VALIDATION") != 0;
    auto instance = vk::Instance::create(options);
    if (!instance) {
        m_why = instance.error().message;
        return false;
    }
    m_instance = *instance;
    const auto adapters = vk::listAdapters(*m_instance);
    auto picked = vk::pickAdapter(adapters, vk::adapterPreferenceFromEnvironment());
    if (!picked) {
        m_why = picked.error().message;
        return false;
    }
    auto device = vk::Device::create(m_instance, adapters[*picked]);
    if (!device) {
        m_why = device.error().message;
        return false;
    }
    m_device = std::move(*device);
    auto recorder = vk::CommandRecorder::create(*m_device);
    if (!recorder) {
        m_why = recorder.error().message;
        return false;
    }
    m_recorder = std::move(*recorder);
    auto kernels = Kernels::create(*m_device);
    if (!kernels) {
        m_why = kernels.error().message;
        return false;
    }
    m_kernels = std::move(*kernels);
    qInfo("Vulkan device: %s (%s), validation %s", m_device->adapter().name.c_str(),
          m_device->adapter().driverInfo.c_str(), m_instance->validationEnabled() ? "on" : "off");
    return true;
}

QStringList GpuFixture::takeValidationMessages()
{
    QStringList fresh;
    if (!m_instance)
        return fresh;
    const auto all = m_instance->validationMessages();
    for (size_t i = m_seenMessages; i < all.size(); ++i)
        fresh << QString::fromStdString(all[i]);
    m_seenMessages = all.size();
    return fresh;
}

} // namespace ponder::test
