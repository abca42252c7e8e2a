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

#include <algorithm>
#include <cmath>
#include <vector>

#include "device_bandwidth.h"
#include "placement_settings.h"
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

    // After the bandwidth, each device's decode rates of the picker's types
    // are measured once on the probe thread (over the test hook's small
    // working set: ctest sets PONDER_TEST_DECODE_RATE_BYTES) and kept per
    // type under the device's key: a later probe reads them back.
    void measuresDecodeRatesOnceAndKeepsThem()
    {
        const auto complete = [](const AdapterSummary& device) {
            return missingDecodeRateTypes(device.decodeBytesPerSecond).empty();
        };
        {
            GpuSelector selector;
            QTRY_VERIFY_WITH_TIMEOUT(!selector.probing(), 30000);
            QTRY_VERIFY_WITH_TIMEOUT(std::ranges::all_of(selector.adapterList(), complete), 120000);
            for (const AdapterSummary& device : selector.adapterList()) {
                QStringList figures;
                for (const auto& [type, rate] : device.decodeBytesPerSecond) {
                    QVERIFY(rate > 0 && std::isfinite(rate));
                    figures << QStringLiteral("%1 %2").arg(QString::fromLatin1(tensorTypeName(type).data())).arg(rate / 1e9);
                }
                qInfo("%s: %s GB/s", qPrintable(device.name), qPrintable(figures.join(", ")));
                QCOMPARE(cachedDecodeRates(device.bandwidthKey), device.decodeBytesPerSecond);
            }
            for (const AdapterSummary& device : selector.adapterList()) {
                std::map<TensorType, double> kept;
                for (TensorType type : pickerDecodeRateTypes())
                    kept[type] = 1.25e9;
                storeDecodeRates(device.bandwidthKey, kept);
            }
        }
        GpuSelector later;
        QTRY_VERIFY_WITH_TIMEOUT(!later.probing(), 30000);
        QVERIFY(!later.adapterList().isEmpty());
        for (const AdapterSummary& device : later.adapterList()) {
            QCOMPARE(device.decodeBytesPerSecond.size(), pickerDecodeRateTypes().size());
            for (const auto& [type, rate] : device.decodeBytesPerSecond)
                QCOMPARE(rate, 1.25e9);
            // And they reach the planner's device.
            QCOMPARE(placementDevice(device, 0).decodeBytesPerSecond, device.decodeBytesPerSecond);
        }
        // Nothing measured again: the kept figures stay.
        QTest::qWait(200);
        for (const AdapterSummary& device : later.adapterList())
            QCOMPARE(cachedDecodeRates(device.bandwidthKey).at(TensorType::Q4_K), 1.25e9);
    }

    // A kept rate that is not a positive finite number is none, type by
    // type: that type is measured again, the others are kept.
    void hostileKeptDecodeRatesAreIgnored()
    {
        const QString key = QStringLiteral("Another/GPU \\ | odd");
        storeDecodeRates(key, {{TensorType::Q4_K, 3e9}, {TensorType::Q6_K, 4e9}, {TensorType::F16, -2}});
        QCOMPARE(cachedDecodeRates(key), (std::map<TensorType, double>{{TensorType::Q4_K, 3e9}, {TensorType::Q6_K, 4e9}}));
        const QString group = QStringLiteral("deviceDecodeRate/") + QString::fromLatin1(QUrl::toPercentEncoding(key));
        for (const QVariant& bad : {QVariant(QStringLiteral("fast")), QVariant(-5.0), QVariant(0), QVariant(qQNaN()),
                                    QVariant(qInf()), QVariant(QStringList{"1", "2"})}) {
            QSettings().setValue(group + QStringLiteral("/Q4_K"), bad);
            const auto rates = cachedDecodeRates(key);
            QVERIFY2(!rates.contains(TensorType::Q4_K), qPrintable(bad.toString()));
            QCOMPARE(rates.at(TensorType::Q6_K), 4e9);
            const auto missing = missingDecodeRateTypes(rates);
            QVERIFY(std::ranges::find(missing, TensorType::Q4_K) != missing.end());
            QVERIFY(std::ranges::find(missing, TensorType::Q6_K) == missing.end());
        }
        // A type the picker does not measure is not read back.
        QSettings().setValue(group + QStringLiteral("/Q4_0"), 5e9);
        QVERIFY(!cachedDecodeRates(key).contains(TensorType::Q4_0));
        QVERIFY(cachedDecodeRates(QStringLiteral("never measured")).empty());
    }

    // The working set: 64 MiB on a GPU, 128 MiB on the CPU, 2 passes; the
    // test hook's bytes and 1 pass; text that is not a positive number ignored.
    void decodeRateWorkingSet()
    {
        const QByteArray kept = qgetenv(kDecodeRateBytesVariable);
        qunsetenv(kDecodeRateBytesVariable);
        QCOMPARE(decodeRateOptions(true).bytes, 64ull << 20);
        QCOMPARE(decodeRateOptions(false).bytes, 128ull << 20);
        QCOMPARE(decodeRateOptions(true).repeats, 2);
        for (const char* bad : {"", "lots", "-4", "0", "1e6"}) {
            qputenv(kDecodeRateBytesVariable, bad);
            QCOMPARE(decodeRateOptions(false).bytes, 128ull << 20);
        }
        qputenv(kDecodeRateBytesVariable, " 2097152 ");
        QCOMPARE(decodeRateOptions(true).bytes, 2ull << 20);
        QCOMPARE(decodeRateOptions(false).bytes, 2ull << 20);
        QCOMPARE(decodeRateOptions(false).repeats, 1);
        if (kept.isNull())
            qunsetenv(kDecodeRateBytesVariable);
        else
            qputenv(kDecodeRateBytesVariable, kept);
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
