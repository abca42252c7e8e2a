// Adapter listing and picking: the ranking rules on made-up adapters, and the
// real adapter list of this machine.
#include <QtTest>

#include "gpu_fixture.h"
#include "ponder/vk/adapter.h"
#include "ponder/vk/instance.h"

using namespace ponder;

namespace {

vk::AdapterInfo adapter(uint32_t index, const char* name, vk::AdapterType type, uint64_t localBytes)
{
    vk::AdapterInfo info;
    info.index = index;
    info.name = name;
    info.type = type;
    info.heaps.push_back({localBytes, localBytes, 0, true});
    return info;
}

} // namespace

class TestAdapter : public QObject {
    Q_OBJECT

private slots:
    void picksByTypeThenMemory_data()
    {
        QTest::addColumn<QString>("preference");
        QTest::addColumn<int>("expected");
        QTest::newRow("best: the bigger discrete GPU") << "" << 3;
        QTest::newRow("index") << "0" << 0;
        QTest::newRow("name, any case") << "LLVMPIPE" << 0;
        QTest::newRow("name part") << "Radeon" << 1;
    }

    void picksByTypeThenMemory()
    {
        QFETCH(QString, preference);
        QFETCH(int, expected);
        const std::vector<vk::AdapterInfo> adapters{
            adapter(0, "llvmpipe (LLVM 15.0.6, 256 bits)", vk::AdapterType::Cpu, 24ull << 30),
            adapter(1, "AMD Radeon Graphics", vk::AdapterType::Integrated, 2ull << 30),
            adapter(2, "NVIDIA GeForce RTX 3060", vk::AdapterType::Discrete, 12ull << 30),
            adapter(3, "NVIDIA GeForce RTX 4090", vk::AdapterType::Discrete, 24ull << 30),
        };
        const auto picked = vk::pickAdapter(adapters, preference.toStdString());
        QVERIFY2(picked.has_value(), picked ? "" : picked.error().message.c_str());
        QCOMPARE(int(*picked), expected);
    }

    void integratedBeatsVirtualBeatsCpu()
    {
        const std::vector<vk::AdapterInfo> adapters{
            adapter(0, "cpu", vk::AdapterType::Cpu, 64ull << 30),
            adapter(1, "virtual", vk::AdapterType::Virtual, 8ull << 30),
            adapter(2, "integrated", vk::AdapterType::Integrated, 1ull << 30),
        };
        QCOMPARE(*vk::pickAdapter(adapters, ""), 2u);
        QCOMPARE(*vk::pickAdapter(std::span(adapters).first(2), ""), 1u);
    }

    void unknownPreferenceIsAnError()
    {
        const std::vector<vk::AdapterInfo> adapters{adapter(0, "llvmpipe", vk::AdapterType::Cpu, 1 << 30)};
        const auto byName = vk::pickAdapter(adapters, "Arc A770");
        QVERIFY(!byName);
        QCOMPARE(byName.error().code, ErrorCode::NotFound);
        QVERIFY(byName.error().message.find("Arc A770") != std::string::npos);
        const auto byIndex = vk::pickAdapter(adapters, "5");
        QVERIFY(!byIndex);
        QCOMPARE(byIndex.error().code, ErrorCode::NotFound);
    }

    void noAdaptersIsAClearError()
    {
        const auto picked = vk::pickAdapter({}, "");
        QVERIFY(!picked);
        QVERIFY(picked.error().message.find("no Vulkan device") != std::string::npos);
    }

    void freeMemorySubtractsUsageFromBudget()
    {
        vk::AdapterInfo info;
        info.heaps = {{8ull << 30, 7ull << 30, 2ull << 30, true}, {32ull << 30, 32ull << 30, 0, false}};
        QCOMPARE(info.deviceLocalBytes(), 8ull << 30);
        QCOMPARE(info.freeDeviceLocalBytes(), 5ull << 30);
    }

    // The real machine: at least one adapter, fully described, and a device
    // that opens on it with validation on.
    void listsThisMachinesAdapters()
    {
        test::GpuFixture gpu;
        PONDER_REQUIRE_GPU(gpu);
        const auto adapters = vk::listAdapters(gpu.device().instance());
        QVERIFY(!adapters.empty());
        for (const auto& a : adapters) {
            qInfo("adapter %u: %s, %s, driver %s, Vulkan %s, %.1f GiB device-local, %.1f GiB free%s, subgroup %u",
                  a.index, a.name.c_str(), std::string(vk::adapterTypeName(a.type)).c_str(), a.driverName.c_str(),
                  vk::versionString(a.apiVersion).c_str(), a.deviceLocalBytes() / double(1 << 30),
                  a.freeDeviceLocalBytes() / double(1 << 30), a.hasMemoryBudget ? " (measured)" : "", a.subgroupSize);
            QVERIFY(!a.name.empty());
            QVERIFY(!a.heaps.empty());
            QVERIFY(a.deviceLocalBytes() > 0);
            QVERIFY(a.maxStorageBufferRange >= (1u << 27) || a.maxStorageBufferRange >= 65536);
            QVERIFY(a.maxMemoryAllocationSize > 0);
            QVERIFY(a.subgroupSize >= 1);
        }
        QVERIFY(gpu.device().freeDeviceLocalBytes() > 0);
        PONDER_CHECK_NO_VALIDATION_MESSAGES(gpu);
    }

    // The guard every Vulkan suite relies on must be able to fail: misuse the
    // API on purpose and expect the layer's message to reach the fixture.
    void validationLayerReportsMisuse()
    {
        if (qEnvironmentVariableIntValue("PONDER_VALIDATION") == 0)
            QSKIP("validation is off (PONDER_VALIDATION=0)");
        test::GpuFixture gpu;
        PONDER_REQUIRE_GPU(gpu);
        VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
        info.size = 0;  // VUID-VkBufferCreateInfo-size-00912
        info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
        VkBuffer buffer = VK_NULL_HANDLE;
        vkCreateBuffer(gpu.device().handle(), &info, nullptr, &buffer);
        if (buffer != VK_NULL_HANDLE)
            vkDestroyBuffer(gpu.device().handle(), buffer, nullptr);
        const QStringList messages = gpu.takeValidationMessages();
        QVERIFY2(!messages.isEmpty(), "the validation layer reported nothing for a zero-sized buffer");
        QVERIFY(messages.join('\n').contains("VUID-VkBufferCreateInfo-size"));
    }
};

QTEST_GUILESS_MAIN(TestAdapter)
#include "tst_adapter.moc"
