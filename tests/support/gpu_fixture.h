// A Vulkan device for tests, with the validation layer on. Suites call
// PONDER_REQUIRE_GPU(fixture) in initTestCase(): a machine without a Vulkan
// device skips the suite, except under CI=true where that is a failure.
#pragma once

#include <QtTest>

#include <memory>
#include <optional>
#include <string>

#include "ponder/kernels.h"
#include "ponder/vk/commands.h"
#include "ponder/vk/device.h"
#include "ponder/vk/instance.h"

namespace ponder::test {

class GpuFixture {
public:
    // Opens the device named by PONDER_DEVICE, else the best one; records why not.
    bool open();
    const std::string& whyUnavailable() const { return m_why; }

    vk::Device& device() { return *m_device; }
    vk::CommandRecorder& recorder() { return *m_recorder; }
    const Kernels& kernels() { return *m_kernels; }

    // Validation messages since the last call; they fail the test.
    QStringList takeValidationMessages();

private:
    std::shared_ptr<vk::Instance> m_instance;
    std::unique_ptr<vk::Device> m_device;
    std::unique_ptr<vk::CommandRecorder> m_recorder;
    std::unique_ptr<Kernels> m_kernels;
    size_t m_seenMessages = 0;
    std::string m_why;
};

bool runningInCi();

} // namespace ponder::test

#define PONDER_REQUIRE_GPU(fixture)                                                         \
    do {                                                                                    \
        if (!(fixture).open()) {                                                            \
            const QByteArray why = QByteArray::fromStdString((fixture).whyUnavailable());   \
            if (::ponder::test::runningInCi())                                              \
                QFAIL("no usable Vulkan device in CI: " + why);                             \
            QSKIP("no usable Vulkan device: " + why);                                       \
        }                                                                                   \
    } while (false)

// In cleanup(): any validation message fails the test that caused it.
#define PONDER_CHECK_NO_VALIDATION_MESSAGES(fixture)                                        \
    do {                                                                                    \
        const QStringList messages = (fixture).takeValidationMessages();                    \
        if (!messages.isEmpty())                                                            \
            QFAIL(qPrintable("Vulkan validation: " + messages.join("\n")));                 \
    } while (false)
