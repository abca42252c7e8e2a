// The device list: GPUs, then the native CPU engine under its own name
// ("CPU (2 cores, AVX-512)"), then CPU-type Vulkan adapters; the automatic
// choice (a GPU, else the CPU engine, never lavapipe); choices by name,
// index and "cpu"; the real probe, which lists the CPU engine and measures
// each device's read bandwidth once (kept in the settings); the test cap
// on a GPU's free memory.
#include <QtTest>

#include <QSettings>
#include <QSignalSpy>
#include <QUrl>

#include <vector>

#include "device_bandwidth.h"
#include "gpu_free_memory.h"
#include "gpu_selector.h"

using namespace ponder;
using namespace ponder::app;

namespace {

constexpr uint64_t kGiB = 1ull << 30;

vk::AdapterInfo adapter(uint32_t index, const char* name, vk::AdapterType type, uint64_t bytes)
{
    vk::AdapterInfo a;
    a.index = index;
    a.name = name;
    a.type = type;
    a.heaps.push_back({bytes, bytes, 0, true});
    return a;
}

CpuInfo twoCores()
{
    CpuInfo cpu;
    cpu.physicalCores = 2;
    cpu.logicalCores = 4;
    cpu.simdTarget = "AVX-512";
    cpu.totalBytes = 24 * kGiB;
    cpu.availableBytes = 20 * kGiB;
    return cpu;
}

int chosen(std::span<const vk::AdapterInfo> adapters, const QString& preference)
{
    const QList<AdapterSummary> devices = deviceList(adapters, twoCores());
    const auto choice = chooseDevice(adapters, devices, preference);
    if (const QString* error = std::get_if<QString>(&choice)) {
        qWarning("%s", qPrintable(*error));
        return -1;
    }
    return std::get<int>(choice);
}

} // namespace

class TestGpuSelector : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        qunsetenv("PONDER_DEVICE");
    }

    void listsTheCpuEngineAfterTheGpus()
    {
        const vk::AdapterInfo adapters[] = {adapter(0, "llvmpipe (LLVM 15.0.6, 256 bits)", vk::AdapterType::Cpu, 8 * kGiB),
                                            adapter(1, "Test GPU", vk::AdapterType::Discrete, 8 * kGiB)};
        const QList<AdapterSummary> devices = deviceList(adapters, twoCores());
        QCOMPARE(devices.size(), 3);
        QCOMPARE(devices[0].name, QStringLiteral("Test GPU"));
        QCOMPARE(devices[0].choice(), QStringLiteral("1"));
        QVERIFY(devices[1].cpuEngine);
        QCOMPARE(devices[1].name, QStringLiteral("CPU (2 cores, AVX-512)"));
        QCOMPARE(devices[1].choice(), QStringLiteral("cpu"));
        QCOMPARE(devices[1].freeMemory, qint64(20 * kGiB));
        QCOMPARE(devices[1].totalMemory, qint64(24 * kGiB));
        QCOMPARE(devices[1].physicalCores, 2u);
        // lavapipe stays, as a test device, last.
        QVERIFY(!devices[2].cpuEngine);
        QCOMPARE(devices[2].choice(), QStringLiteral("0"));
    }

    void choice_data()
    {
        QTest::addColumn<QString>("preference");
        QTest::addColumn<bool>("withGpu");
        QTest::addColumn<QString>("expected");  // the chosen device's name
        const QString cpu = QStringLiteral("CPU (2 cores, AVX-512)");
        const QString lavapipe = QStringLiteral("llvmpipe (LLVM 15.0.6, 256 bits)");
        QTest::newRow("automatic, lavapipe only") << QString() << false << cpu;
        QTest::newRow("automatic, with a GPU") << QString() << true << QStringLiteral("Test GPU");
        QTest::newRow("cpu") << QStringLiteral("cpu") << true << cpu;
        QTest::newRow("cpu reference runs on the CPU") << QStringLiteral("cpu-reference") << true << cpu;
        QTest::newRow("vulkan, lavapipe only") << QStringLiteral("vulkan") << false << lavapipe;
        QTest::newRow("by name") << QStringLiteral("LLVMPIPE") << true << lavapipe;
        QTest::newRow("by Vulkan index") << QStringLiteral("0") << true << lavapipe;
    }

    void choice()
    {
        QFETCH(QString, preference);
        QFETCH(bool, withGpu);
        QFETCH(QString, expected);
        std::vector<vk::AdapterInfo> adapters{adapter(0, "llvmpipe (LLVM 15.0.6, 256 bits)", vk::AdapterType::Cpu, 8 * kGiB)};
        if (withGpu)
            adapters.push_back(adapter(1, "Test GPU", vk::AdapterType::Discrete, 8 * kGiB));
        const QList<AdapterSummary> devices = deviceList(adapters, twoCores());
        const int index = chosen(adapters, preference);
        QVERIFY(index >= 0);
        QCOMPARE(devices[index].name, expected);
    }

    void noVulkanAtAllStillHasTheCpuEngine()
    {
        QCOMPARE(chosen({}, QString()), 0);
        QCOMPARE(chosen({}, QStringLiteral("cpu")), 0);
        const auto missing = chooseDevice({}, deviceList({}, twoCores()), QStringLiteral("nvidia"));
        QVERIFY(std::holds_alternative<QString>(missing));
    }

    // The real probe lists the CPU engine by readCpuInfo()'s name, and
    // choosing it stores "cpu".
    void probeListsTheCpuEngine()
    {
        GpuSelector selector;
        QTRY_VERIFY_WITH_TIMEOUT(!selector.probing(), 30000);
        const QString name = QString::fromStdString(readCpuInfo().displayName());
        int cpu = -1;
        for (int i = 0; i < selector.adapterList().size(); ++i)
            if (selector.adapterList()[i].cpuEngine)
                cpu = i;
        QVERIFY(cpu >= 0);
        QCOMPARE(selector.adapterList()[cpu].name, name);
        QVERIFY2(selector.adapters()[cpu].startsWith(name), qPrintable(selector.adapters()[cpu]));
        bool gpu = false;
        for (const AdapterSummary& device : selector.adapterList())
            gpu = gpu || (!device.cpuEngine && isGpuAdapter(device.type));
        QCOMPARE(selector.cpuEngine(), !gpu);  // automatic

        selector.choose(cpu);
        QCOMPARE(selector.preference(), QStringLiteral("cpu"));
        QTRY_VERIFY_WITH_TIMEOUT(!selector.probing(), 30000);
        QVERIFY(selector.cpuEngine());
        QCOMPARE(selector.deviceName(), name);
        QCOMPARE(selector.currentIndex(), cpu);
        QVERIFY(selector.freeMemory() > 0);
        selector.setPreference(QString());
    }

    // Each device's read bandwidth is measured once, on the probe thread,
    // and kept under its name and driver: a later probe reads it back.
    void measuresEachDeviceOnceAndKeepsIt()
    {
        {
            GpuSelector selector;
            QTRY_VERIFY_WITH_TIMEOUT(!selector.probing(), 30000);
            const auto measured = [&selector] {
                for (const AdapterSummary& device : selector.adapterList())
                    if (!(device.readBytesPerSecond > 0))
                        return false;
                return true;
            };
            QTRY_VERIFY_WITH_TIMEOUT(measured(), 60000);
            for (const AdapterSummary& device : selector.adapterList()) {
                qInfo("%s: %.1f GB/s", qPrintable(device.name), device.readBytesPerSecond / 1e9);
                QCOMPARE(cachedBandwidth(device.bandwidthKey), device.readBytesPerSecond);
            }
            // Kept figures stand in for a later start's: no new measure.
            for (const AdapterSummary& device : selector.adapterList())
                storeBandwidth(device.bandwidthKey, 1.5e9);
        }
        GpuSelector later;
        QTRY_VERIFY_WITH_TIMEOUT(!later.probing(), 30000);
        QVERIFY(!later.adapterList().isEmpty());
        for (const AdapterSummary& device : later.adapterList())
            QCOMPARE(device.readBytesPerSecond, 1.5e9);
    }

    // The settings file is outside text: a figure that is not a positive number is none.
    void hostileKeptBandwidthIsIgnored()
    {
        const QString key = QStringLiteral("A/GPU \\ with | odd / names");
        storeBandwidth(key, 2e9);
        QCOMPARE(cachedBandwidth(key), 2e9);
        storeBandwidth(key, -1);  // not kept
        QCOMPARE(cachedBandwidth(key), 2e9);
        for (const QVariant& bad : {QVariant(QStringLiteral("fast")), QVariant(-5.0), QVariant(0), QVariant(qQNaN())}) {
            QSettings().setValue(QStringLiteral("deviceBandwidth/") + QString::fromLatin1(QUrl::toPercentEncoding(key)), bad);
            QVERIFY2(!cachedBandwidth(key), qPrintable(bad.toString()));
        }
        QVERIFY(!cachedBandwidth(QStringLiteral("never measured")));
    }

    // The test hook lowers every Vulkan adapter's free memory, never the CPU engine's RAM.
    void freeMemoryCapForTests()
    {
        const vk::AdapterInfo adapters[] = {adapter(0, "llvmpipe (LLVM 15.0.6, 256 bits)", vk::AdapterType::Cpu, 8 * kGiB),
                                            adapter(1, "Test GPU", vk::AdapterType::Discrete, 8 * kGiB)};
        qputenv(kGpuFreeBytesCapVariable, QByteArray::number(kGiB));
        const QList<AdapterSummary> devices = deviceList(adapters, twoCores());
        qunsetenv(kGpuFreeBytesCapVariable);
        QCOMPARE(devices[0].freeMemory, qint64(kGiB));
        QCOMPARE(devices[1].freeMemory, qint64(20 * kGiB));  // the CPU engine
        QCOMPARE(devices[2].freeMemory, qint64(kGiB));
        QCOMPARE(deviceList(adapters, twoCores())[0].freeMemory, qint64(8 * kGiB));
        QVERIFY(devices[0].bandwidthKey != devices[2].bandwidthKey);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestGpuSelector)
#include "tst_gpu_selector.moc"
