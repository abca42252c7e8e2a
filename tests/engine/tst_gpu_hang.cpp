// A GPU that stops without reporting device loss: CommandRecorder::wait()
// gives up after its hang timeout with a DeviceLost error naming the device,
// instead of blocking the caller (and the app's quit) forever. The "hang" is
// real GPU work: a command buffer waiting on an event only the host sets.
#include <QtTest>

#include <chrono>

#include "gpu_fixture.h"
#include "ponder/vk/commands.h"

using namespace ponder;
using namespace std::chrono_literals;

class TestGpuHang : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void waitGivesUpOnAStuckSubmissionAndRecovers()
    {
        const VkDevice device = m_gpu.device().handle();
        VkEventCreateInfo eventInfo{VK_STRUCTURE_TYPE_EVENT_CREATE_INFO};
        VkEvent event = VK_NULL_HANDLE;
        QCOMPARE(vkCreateEvent(device, &eventInfo, nullptr, &event), VK_SUCCESS);

        auto recorder = vk::CommandRecorder::create(m_gpu.device());
        QVERIFY(recorder);
        vk::CommandRecorder& r = **recorder;
        QCOMPARE(r.hangTimeout(), vk::CommandRecorder::kDefaultHangTimeout);
        QVERIFY(r.begin());
        vkCmdWaitEvents(r.handle(), 1, &event, VK_PIPELINE_STAGE_HOST_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0,
                        nullptr, 0, nullptr, 0, nullptr);
        QVERIFY(r.end());
        QVERIFY(r.submit());

        r.setHangTimeout(200ms);
        auto stuck = r.wait();
        QVERIFY(!stuck);
        QCOMPARE(stuck.error().code, ErrorCode::DeviceLost);
        QVERIFY2(QString::fromStdString(stuck.error().message).contains("seems to have hung"),
                 stuck.error().message.c_str());
        QVERIFY(QString::fromStdString(stuck.error().message).contains(QString::fromStdString(m_gpu.device().adapter().name)));
        QVERIFY(r.inFlight());
        QVERIFY(m_gpu.device().hung());

        // The GPU moves on after all: the next wait sees the work finish.
        QCOMPARE(vkSetEvent(device, event), VK_SUCCESS);
        r.setHangTimeout(60s);
        auto done = r.wait();
        QVERIFY2(done, done ? "" : done.error().message.c_str());
        QVERIFY(!r.inFlight());
        QVERIFY(!m_gpu.device().hung());

        recorder->reset();
        vkDestroyEvent(device, event, nullptr);
    }
};

QTEST_GUILESS_MAIN(TestGpuHang)
#include "tst_gpu_hang.moc"
