// vk::PipelineCache: pipelines built through it are saved to a file and
// loaded from it next time; a file that is truncated, corrupted, foreign
// (another device or driver), oversized or not ours is never handed to the
// driver, says why, and pipelines still build. GpuContext saves its cache
// when it closes.
#include <QtTest>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include <sys/stat.h>

#include "gpu_fixture.h"
#include "ponder/gpu_backend.h"
#include "ponder/vk/pipeline.h"
#include "ponder/vk/pipeline_cache.h"

using namespace ponder;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeFile(const fs::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

} // namespace

class TestPipelineCache : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;

    fs::path folder() const { return fs::path(m_dir.path().toStdString()) / "pipelines"; }

    // Builds one pipeline through `cache` (the device's cache is cleared after).
    bool buildThrough(const vk::PipelineCache& cache)
    {
        m_gpu.device().setPipelineCache(cache.handle());
        const std::array<uint32_t, 1> spec{64};
        auto pipeline = vk::ComputePipeline::create(m_gpu.device(), {ShaderId::Add, 3, 4, spec});
        m_gpu.device().setPipelineCache(VK_NULL_HANDLE);
        return bool(pipeline);
    }

    // A saved cache's file, after building a pipeline into a fresh cache.
    std::vector<uint8_t> savedFile()
    {
        fs::remove_all(folder());
        auto cache = vk::PipelineCache::open(m_gpu.device(), folder());
        if (!cache || !buildThrough(**cache) || !(*cache)->save())
            return {};
        return readFile((*cache)->file());
    }

    // Opens the cache over `bytes` written as its file: what it loaded and why not.
    std::unique_ptr<vk::PipelineCache> reopenOver(const std::vector<uint8_t>& bytes)
    {
        auto probe = vk::PipelineCache::open(m_gpu.device(), folder());
        if (!probe)
            return nullptr;
        writeFile((*probe)->file(), bytes);
        auto cache = vk::PipelineCache::open(m_gpu.device(), folder());
        return cache ? std::move(*cache) : nullptr;
    }

private slots:
    void initTestCase()
    {
        PONDER_REQUIRE_GPU(m_gpu);
        QVERIFY(m_dir.isValid());
    }

    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void savesAndLoads()
    {
        fs::remove_all(folder());
        auto first = vk::PipelineCache::open(m_gpu.device(), folder());
        QVERIFY(first);
        QCOMPARE((*first)->loadedBytes(), uint64_t(0));
        QVERIFY((*first)->rejected().empty());  // no file is not a rejection
        QVERIFY(buildThrough(**first));
        QVERIFY((*first)->save());

        const fs::path file = (*first)->file();
        QVERIFY(fs::exists(file));
        struct stat info {};
        QCOMPARE(::stat(file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);  // owner only
        QCOMPARE(std::distance(fs::directory_iterator(folder()), fs::directory_iterator()), 1);  // no temporary left

        auto second = vk::PipelineCache::open(m_gpu.device(), folder());
        QVERIFY(second);
        QVERIFY2((*second)->rejected().empty(), (*second)->rejected().c_str());
        QCOMPARE((*second)->loadedBytes(), uint64_t(fs::file_size(file) - 32));
        QVERIFY((*second)->loadedBytes() >= 32);  // at least the driver's own header
        QVERIFY(buildThrough(**second));
    }

    void rejectsBadFiles_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("says");
        QTest::newRow("truncated") << "truncate" << "size";
        QTest::newRow("appended to") << "append" << "size";
        QTest::newRow("a byte flipped") << "flip" << "checksum";
        QTest::newRow("not ours") << "magic" << "not a Ponder";
        QTest::newRow("too short") << "short" << "too short";
        QTest::newRow("another device") << "device" << "another device";
        QTest::newRow("another driver's cache UUID") << "uuid" << "another device";
        QTest::newRow("unknown header version") << "version" << "unknown header";
    }

    void rejectsBadFiles()
    {
        QFETCH(QString, damage);
        QFETCH(QString, says);
        std::vector<uint8_t> bytes = savedFile();
        QVERIFY(bytes.size() >= 64);  // our header and at least the driver's
        // The driver data starts after our 32-byte header; re-wrapping it
        // (fileBytes) keeps the checksum right, so only the check named fails.
        std::vector<uint8_t> driver(bytes.begin() + 32, bytes.end());
        if (damage == "truncate") {  // long enough still, so only the size is wrong
            std::vector<uint8_t> longer = driver;
            longer.resize(driver.size() + 16, 0x5a);
            bytes = vk::PipelineCache::fileBytes(longer);
            bytes.resize(bytes.size() - 8);
        }
        else if (damage == "append")
            bytes.push_back(0);
        else if (damage == "flip")
            bytes[bytes.size() - 1] ^= 0x40;
        else if (damage == "magic")
            bytes[0] = 'X';
        else if (damage == "short")
            bytes.resize(20);
        else if (damage == "device")
            driver[12] ^= 1, bytes = vk::PipelineCache::fileBytes(driver);
        else if (damage == "uuid")
            driver[16] ^= 1, bytes = vk::PipelineCache::fileBytes(driver);
        else if (damage == "version")
            driver[4] = 7, bytes = vk::PipelineCache::fileBytes(driver);

        auto cache = reopenOver(bytes);
        QVERIFY(cache);
        QVERIFY2(QString::fromStdString(cache->rejected()).contains(says), cache->rejected().c_str());
        QCOMPARE(cache->loadedBytes(), uint64_t(0));
        QVERIFY(buildThrough(*cache));  // an empty cache still builds
        QVERIFY(cache->save());         // and replaces the bad file with a good one
        auto again = vk::PipelineCache::open(m_gpu.device(), folder());
        QVERIFY(again);
        QVERIFY2((*again)->rejected().empty(), (*again)->rejected().c_str());
    }

    void oversizedFileIsNotRead()
    {
        auto probe = vk::PipelineCache::open(m_gpu.device(), folder());
        QVERIFY(probe);
        fs::resize_file((*probe)->file(), vk::PipelineCache::kMaxFileBytes + 1);  // sparse: no disk used
        auto cache = vk::PipelineCache::open(m_gpu.device(), folder());
        QVERIFY(cache);
        QVERIFY2(QString::fromStdString((*cache)->rejected()).contains("larger"), (*cache)->rejected().c_str());
        fs::remove((*probe)->file());
    }

    void contextSavesWhenItCloses()
    {
        fs::remove_all(folder());
        {
            auto context = GpuContext::open(vk::adapterPreferenceFromEnvironment(), {}, folder());
            QVERIFY2(context, context ? "" : context.error().message.c_str());
            QVERIFY((*context)->pipelineCache);
            QCOMPARE((*context)->device->pipelineCache(), (*context)->pipelineCache->handle());
            const std::array<uint32_t, 1> spec{64};
            QVERIFY(vk::ComputePipeline::create(*(*context)->device, {ShaderId::Add, 3, 4, spec}));
        }
        QCOMPARE(std::distance(fs::directory_iterator(folder()), fs::directory_iterator()), 1);
        auto context = GpuContext::open(vk::adapterPreferenceFromEnvironment(), {}, folder());
        QVERIFY(context);
        QVERIFY((*context)->pipelineCache->loadedBytes() > 0);
    }
};

QTEST_GUILESS_MAIN(TestPipelineCache)
#include "tst_pipeline_cache.moc"
