// Split models on the GPU (lavapipe, validation on): a model written in parts
// uploads through the staging ring from every part, gets the same memory plan
// and gives the same logits as the same model in one file, and after the
// upload no part keeps its weight pages in this process.
#include <QtTest>

#include <cctype>
#include <cmath>
#include <cstring>
#include <fstream>

#include "gpu_fixture.h"
#include "model_generator.h"
#include "ponder/gpu_backend.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "split_models.h"

using namespace ponder;

namespace {

double relativeError(const std::vector<float>& gpu, const std::vector<float>& cpu)
{
    double scale = 0, worst = 0;
    for (float v : cpu)
        scale = std::max(scale, double(std::abs(v)));
    for (size_t i = 0; i < cpu.size(); ++i)
        worst = std::max(worst, double(std::abs(gpu[i] - cpu[i])));
    return worst / scale;
}

// Bytes of `path` mapped into this process and resident (Rss in
// /proc/self/smaps, summed over its mappings).
uint64_t residentBytes(const std::filesystem::path& path)
{
    const std::string target = std::filesystem::canonical(path).string();
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inTarget = false;
    uint64_t kib = 0;
    while (std::getline(smaps, line)) {
        // A mapping's first line is "start-end perms offset dev inode path";
        // its fields ("Rss:    12 kB") follow.
        const bool header = !line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
                            line.find('-') < line.find(' ');
        if (header)
            inTarget = line.size() >= target.size() && line.ends_with(" " + target);
        else if (inTarget && line.starts_with("Rss:"))
            kib += std::stoull(line.substr(4));
    }
    return kib * 1024;
}

// Reads one byte of every page of every tensor of `part`, so its pages are mapped in.
uint64_t touch(const GgufFile& part)
{
    uint64_t sum = 0;
    for (const GgufTensorInfo& t : part.header().tensors()) {
        const auto data = part.tensorData(t);
        const volatile std::byte* bytes = data.data();  // reads the compiler must keep
        for (size_t i = 0; i < data.size(); i += 4096)
            sum += std::to_integer<uint64_t>(bytes[i]);
    }
    return sum;
}

} // namespace

class TestGgufPartsGpu : public QObject {
    Q_OBJECT
    test::GpuFixture m_gpu;
    QTemporaryDir m_dir;

    std::unique_ptr<ModelFile> open(const std::filesystem::path& path)
    {
        auto model = ModelFile::open(path);
        if (!model)
            qFatal("%s", model.error().message.c_str());
        return std::move(*model);
    }

    std::unique_ptr<GpuBackend> load(const ModelFile& file)
    {
        PlanOptions options;
        options.contextLength = 128;
        options.kvType = KvCacheType::F32;
        options.batchSize = 16;
        auto backend = GpuBackend::load(m_gpu.kernels(), file, options);
        if (!backend)
            qFatal("%s", backend.error().message.c_str());
        return std::move(*backend);
    }

private slots:
    void initTestCase() { PONDER_REQUIRE_GPU(m_gpu); }
    void cleanup() { PONDER_CHECK_NO_VALIDATION_MESSAGES(m_gpu); }

    void sameLogitsAsOneFile_data()
    {
        QTest::addColumn<int>("arch");
        QTest::addColumn<QString>("mix");
        QTest::addColumn<bool>("metadataOnly");
        QTest::addColumn<bool>("large");  // weights larger than the staging ring, in F16
        QTest::newRow("llama Q4_K_M, 3 parts") << int(Architecture::Llama) << "Q4_K_M" << false << false;
        QTest::newRow("qwen2 Q8_0, 3 parts, metadata-only first") << int(Architecture::Qwen2) << "Q8_0" << true
                                                                  << false;
        QTest::newRow("llama F16, 100 MB in 3 parts") << int(Architecture::Llama) << "F16" << false << true;
    }

    // Identical logits from the split model and the single file on the GPU,
    // the split one within the usual bound of the CPU reference; the same
    // plan, allocated exactly.
    void sameLogitsAsOneFile()
    {
        QFETCH(int, arch);
        QFETCH(QString, mix);
        QFETCH(bool, metadataOnly);
        QFETCH(bool, large);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), 320);
        if (large) {
            // 52M weights: 99 MiB in F16, three fills of the 32 MiB staging buffers.
            spec.config.embeddingLength = 1024;
            spec.config.headCount = 16;
            spec.config.headCountKv = 8;
            spec.config.feedForwardLength = 2048;
            spec.config.blockCount = 4;
            spec.config.vocabSize = 8192;
        }
        spec.mix = *quantMixFromName(mix.toStdString());
        spec.seed = 23;
        const auto paths = test::writeSingleAndSplit(m_dir, QString("gpu-%1-%2").arg(arch).arg(mix), spec, 3,
                                                     metadataOnly);
        auto single = open(paths.single);
        auto split = open(paths.first);
        if (large)
            QVERIFY(split->info().tensorBytes > 2 * kStagingBytes);

        auto gpuSingle = load(*single);
        auto gpuSplit = load(*split);
        QCOMPARE(gpuSplit->model().allocatedBytes(), gpuSplit->model().plan().totalBytes());
        const std::string difference = test::planDifference(gpuSingle->model().plan(), gpuSplit->model().plan());
        QVERIFY2(difference.empty(), difference.c_str());

        const auto prompt = split->tokenizer().encode("Are the parts one model? Think about it.", true, false);
        auto a = gpuSingle->evaluate(prompt, true);
        auto b = gpuSplit->evaluate(prompt, true);
        QVERIFY2(a && b, a ? (b ? "" : b.error().message.c_str()) : a.error().message.c_str());
        QCOMPARE(b->size(), a->size());
        QVERIFY(std::memcmp(a->data(), b->data(), a->size() * sizeof(float)) == 0);
        for (int32_t token : {7, 100, 250}) {
            auto stepA = gpuSingle->evaluate(std::span<const int32_t>(&token, 1), false);
            auto stepB = gpuSplit->evaluate(std::span<const int32_t>(&token, 1), false);
            QVERIFY(stepA && stepB);
            QVERIFY(std::memcmp(stepA->data(), stepB->data(), stepA->size() * sizeof(float)) == 0);
        }

        // The weights were read from the right parts: the GPU agrees with the
        // reference on the split model (F32 cache: summation order only).
        reference::ReferenceBackend cpu(split->info(), split->weights(), 128);
        auto c = cpu.evaluate(prompt, true);
        QVERIFY(c);
        const double error = relativeError(*b, *c);
        qInfo("largest logit difference from the reference: %.3g of the largest logit", error);
        QVERIFY2(error < 1e-4, qPrintable(QString::number(error)));
    }

    // Loading drops the weight pages of every part from this process, not
    // only the first part's; reading them again maps them back in.
    void uploadReleasesEveryPart()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.config.embeddingLength = 1024;
        spec.config.headCount = 16;
        spec.config.headCountKv = 8;
        spec.config.feedForwardLength = 1024;
        spec.config.vocabSize = 4096;
        spec.matrixType = TensorType::F32;
        spec.parts = 3;
        const std::filesystem::path path = m_dir.filePath("release.gguf").toStdString();
        QVERIFY(testing::writeModel(path, spec, 2));
        auto file = open(testing::splitPartPath(path, 2, 3));
        auto gpu = load(*file);
        for (const GgufFile& part : file->files().parts()) {
            // At most the header and the pages shared by neighbouring tensors stay.
            const uint64_t left = residentBytes(part.path());
            const uint64_t allowed = part.header().dataOffset() + 2 * 4096 * (part.header().tensors().size() + 1);
            qInfo("%s: %llu of %llu bytes resident after the upload", part.path().filename().c_str(),
                  static_cast<unsigned long long>(left), static_cast<unsigned long long>(part.size()));
            QVERIFY2(left <= allowed, part.path().filename().c_str());
            (void)touch(part);
            QVERIFY(residentBytes(part.path()) > part.size() / 2);
        }
    }
};

QTEST_GUILESS_MAIN(TestGgufPartsGpu)
#include "tst_gguf_parts_gpu.moc"
