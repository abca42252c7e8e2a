// Model info from GGUF metadata: both architectures read right, and every way
// a file can be unusable gives an error naming what is wrong. Also the test
// model generator: deterministic, every tensor type, the real mixes.
#include <QtTest>

#include <cmath>
#include <fstream>

#include "model_generator.h"
#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"
#include "ponder/model_file.h"
#include "ponder/model_layout.h"
#include "ponder/tokenizer_gguf.h"

using namespace ponder;

namespace {

// A header-only GGUF (no tensor data needed for readModelInfo) built from a
// config, with one change applied by `edit` before writing.
Result<ModelInfo> infoFor(const ModelConfig& config, const std::function<void(GgufWriter&, std::vector<TensorDesc>&)>& edit,
                          const std::string& arch = {})
{
    GgufWriter writer = GgufWriter::inMemory();
    const std::string name = arch.empty() ? std::string(architectureName(config.architecture)) : arch;
    writer.addString("general.architecture", name);
    writer.addUint32(name + ".embedding_length", config.embeddingLength);
    writer.addUint32(name + ".block_count", config.blockCount);
    writer.addUint32(name + ".feed_forward_length", config.feedForwardLength);
    writer.addUint32(name + ".attention.head_count", config.headCount);
    writer.addUint32(name + ".attention.head_count_kv", config.headCountKv);
    std::vector<TensorDesc> tensors = standardTensors(config, QuantMix::Q4_K_M);
    edit(writer, tensors);
    for (const auto& t : tensors)
        writer.addTensor(t.name, t.type, t.dims);
    PONDER_TRY(writer.writeHeader());
    for (const auto& t : tensors) {
        const std::vector<std::byte> zeros(t.bytes);
        PONDER_TRY(writer.writeTensorData(zeros));
    }
    PONDER_TRY(writer.finish());
    const std::vector<std::byte> bytes = writer.takeBytes();
    auto header = parseGgufHeader(bytes, bytes.size());
    if (!header)
        return std::unexpected(header.error());
    return readModelInfo(*header);
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestModelInfo : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void readsBothArchitectures_data()
    {
        QTest::addColumn<int>("arch");
        QTest::newRow("llama") << int(Architecture::Llama);
        QTest::newRow("qwen2") << int(Architecture::Qwen2);
    }

    void readsBothArchitectures()
    {
        QFETCH(int, arch);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch));
        spec.mix = QuantMix::Q4_K_M;
        const QString path = m_dir.filePath(QString("arch%1.gguf").arg(arch));
        QVERIFY(testing::writeModel(path.toStdString(), spec, 2));
        auto model = ModelFile::open(path.toStdString());
        QVERIFY2(model, model ? "" : model.error().message.c_str());
        const ModelConfig& c = (*model)->info().config;
        QCOMPARE(int(c.architecture), arch);
        QCOMPARE(c.embeddingLength, spec.config.embeddingLength);
        QCOMPARE(c.headCountKv, spec.config.headCountKv);
        QCOMPARE(c.headDim, 64u);
        QCOMPARE(c.ropeLayout, arch == int(Architecture::Llama) ? RopeLayout::AdjacentPairs : RopeLayout::Neox);
        QCOMPARE(c.hasQkvBias, arch == int(Architecture::Qwen2));
        QCOMPARE(c.hasRopeFreqs, arch == int(Architecture::Llama));
        QCOMPARE(c.ropeFreqBase, spec.config.ropeFreqBase);
        QCOMPARE(c.rmsEpsilon, spec.config.rmsEpsilon);
        QCOMPARE((*model)->info().fileType, std::string("Q4_K_M"));
        QCOMPARE((*model)->chatFormat(), ChatFormat::DeepSeekR1);
        QVERIFY((*model)->info().bytesByType.count(TensorType::Q6_K));
        QCOMPARE((*model)->info().tensorBytes, modelInfoFromConfig(spec.config, QuantMix::Q4_K_M).tensorBytes);
    }

    void unusableFilesGiveClearErrors_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("expected");  // a phrase of the message
        QTest::newRow("unknown architecture") << "arch" << "architecture 'gpt-neox' is not supported";
        QTest::newRow("missing tensor") << "drop ffn_down" << "no tensor 'blk.1.ffn_down.weight'";
        QTest::newRow("mis-shaped tensor") << "reshape attn_k" << "tensor 'blk.0.attn_k.weight' has shape";
        QTest::newRow("quantized norm") << "quantize norm" << "vector stored as Q8_0";
        QTest::newRow("uneven heads") << "heads" << "cannot share";
        QTest::newRow("missing key") << "no ff" << "'llama.feed_forward_length'";
        // 4 heads x (2^30 + 64) wraps 32 bits to 256, the width of q's tensors.
        QTest::newRow("head size wraps") << "wrap" << "implausibly large";
        QTest::newRow("huge head") << "huge head" << "implausibly large";
        // Positive as a float64, 0 or subnormal as the float the engine keeps (found by fuzz_model_file).
        QTest::newRow("epsilon narrows to 0") << "tiny epsilon" << "'llama.attention.layer_norm_rms_epsilon' is not a positive number";
        QTest::newRow("subnormal rope base") << "tiny base" << "'llama.rope.freq_base' is not a positive number";
        QTest::newRow("NaN epsilon") << "nan epsilon" << "'llama.attention.layer_norm_rms_epsilon' is not a positive number";
    }

    void unusableFilesGiveClearErrors()
    {
        QFETCH(QString, change);
        QFETCH(QString, expected);
        ModelConfig config = testing::tinyConfig(Architecture::Llama);
        std::string arch;
        if (change == "arch")
            arch = "gpt-neox";
        if (change == "heads")
            config.headCountKv = 3;
        if (change == "wrap")
            config.headCountKv = config.headCount;
        auto result = infoFor(
            config,
            [&](GgufWriter& writer, std::vector<TensorDesc>& tensors) {
                if (change == "wrap") {
                    writer.addUint32("llama.attention.key_length", (1u << 30) + 64);
                    writer.addUint32("llama.rope.dimension_count", 64);
                }
                if (change == "huge head")
                    writer.addUint32("llama.attention.key_length", 2048);
                if (change == "tiny epsilon")
                    writer.addFloat64("llama.attention.layer_norm_rms_epsilon", 1e-50);
                if (change == "tiny base")
                    writer.addFloat64("llama.rope.freq_base", 1e-40);
                if (change == "nan epsilon")
                    writer.addFloat32("llama.attention.layer_norm_rms_epsilon", std::nanf(""));
                if (change == "drop ffn_down")
                    std::erase_if(tensors, [](const TensorDesc& t) { return t.name == "blk.1.ffn_down.weight"; });
                for (auto& t : tensors) {
                    if (change == "reshape attn_k" && t.name == "blk.0.attn_k.weight") {
                        t.dims[1] += 256;
                        t.bytes = tensorBytes(t.type, t.dims[0] * t.dims[1]);
                    }
                    if (change == "quantize norm" && t.name == "blk.0.ffn_norm.weight") {
                        t.type = TensorType::Q8_0;
                        t.bytes = tensorBytes(t.type, t.dims[0]);
                    }
                }
            },
            arch);
        if (change == "no ff") {
            // Rebuild without the key: write everything by hand minus one key.
            GgufWriter writer = GgufWriter::inMemory();
            writer.addString("general.architecture", "llama");
            writer.addUint32("llama.embedding_length", 256);
            writer.addUint32("llama.block_count", 2);
            writer.addUint32("llama.attention.head_count", 4);
            QVERIFY(writer.finish());
            const auto bytes = writer.takeBytes();
            result = readModelInfo(*parseGgufHeader(bytes, bytes.size()));
        }
        QVERIFY(!result);
        qInfo("%s", result.error().message.c_str());
        QVERIFY2(QString::fromStdString(result.error().message).contains(expected),
                 result.error().message.c_str());
    }

    // The vocabulary is counted against the embedding table before a single
    // token is copied, so a file claiming millions of tokens costs nothing.
    void oversizedVocabularyIsRefusedBeforeBuilding()
    {
        GgufWriter writer = GgufWriter::inMemory();
        writer.addString("tokenizer.ggml.model", "gpt2");
        std::vector<std::string> tokens;
        for (int i = 0; i < 600; ++i)
            tokens.push_back(std::to_string(i));
        writer.addArray("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
        QVERIFY(writer.finish());
        const auto bytes = writer.takeBytes();
        auto header = parseGgufHeader(bytes, bytes.size());
        QVERIFY(header);

        auto refused = readTokenizerVocab(*header, 512);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Malformed);
        QVERIFY2(QString::fromStdString(refused.error().message).contains("600 entries, more than the 512"),
                 refused.error().message.c_str());
        auto accepted = readTokenizerVocab(*header, 600);
        QVERIFY2(accepted, accepted ? "" : accepted.error().message.c_str());
        QCOMPARE(accepted->tokens.size(), size_t(600));
    }

    // Found by fuzz_model_file: token types were narrowed to 32 bits before
    // their range was checked, so 2^32 + 1 passed as 1 (Normal).
    void tokenTypeBeyond32BitsIsRefused_data()
    {
        QTest::addColumn<qint64>("type");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("normal") << qint64(1) << true;
        QTest::newRow("2^32 + 1") << (qint64(1) << 32) + 1 << false;
        QTest::newRow("-2^32 + 3") << -(qint64(1) << 32) + 3 << false;
    }

    void tokenTypeBeyond32BitsIsRefused()
    {
        QFETCH(qint64, type);
        QFETCH(bool, accepted);
        GgufWriter writer = GgufWriter::inMemory();
        writer.addString("tokenizer.ggml.model", "gpt2");
        writer.addString("tokenizer.ggml.pre", "qwen2");
        writer.addArray("tokenizer.ggml.tokens", std::vector<std::string>{"a", "b"});
        writer.addArray("tokenizer.ggml.token_type", std::vector<int64_t>{1, int64_t(type)});
        QVERIFY(writer.finish());
        const auto bytes = writer.takeBytes();
        const auto header = parseGgufHeader(bytes, bytes.size());
        QVERIFY(header);

        const auto tokenizer = loadTokenizer(*header);
        QCOMPARE(bool(tokenizer), accepted);
        if (accepted) {
            QCOMPARE(tokenizer->tokenType(1), TokenType(type));
        } else {
            QCOMPARE(tokenizer.error().code, ErrorCode::Malformed);
            QVERIFY2(QString::fromStdString(tokenizer.error().message).contains("token 1 has unknown type " +
                                                                                 QString::number(type)),
                     tokenizer.error().message.c_str());
        }
    }

    // Found by fuzz_model_file: general.file_type was narrowed to 32 bits, so
    // 2^32 + 15 was named Q4_K_M.
    void fileTypeBeyond32BitsIsUnnamed_data()
    {
        QTest::addColumn<quint64>("fileType");
        QTest::addColumn<QString>("name");
        QTest::newRow("15") << quint64(15) << "Q4_K_M";
        QTest::newRow("2^32 + 15") << (quint64(1) << 32) + 15 << "";
    }

    void fileTypeBeyond32BitsIsUnnamed()
    {
        QFETCH(quint64, fileType);
        QFETCH(QString, name);
        const auto info = infoFor(testing::tinyConfig(Architecture::Qwen2), [&](GgufWriter& writer, auto&) {
            writer.addUint64("general.file_type", fileType);
        });
        QVERIFY2(info, info ? "" : info.error().message.c_str());
        QCOMPARE(QString::fromStdString(info->fileType), name);
    }

    void modelFileNamesTheFile()
    {
        const QString path = m_dir.filePath("not-a-model.gguf");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is not a GGUF file at all");
        file.close();
        auto model = ModelFile::open(path.toStdString());
        QVERIFY(!model);
        QCOMPARE(model.error().code, ErrorCode::Malformed);
        QVERIFY(QString::fromStdString(model.error().message).contains("not-a-model.gguf"));
        QVERIFY(!ModelFile::open(m_dir.filePath("missing.gguf").toStdString()));
    }

    // Same seed, same bytes; another seed, other bytes.
    void generatorIsDeterministic()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.mix = QuantMix::Q4_K_M;
        spec.seed = 77;
        const QString a = m_dir.filePath("a.gguf"), b = m_dir.filePath("b.gguf"), c = m_dir.filePath("c.gguf");
        QVERIFY(testing::writeModel(a.toStdString(), spec, 1));
        QVERIFY(testing::writeModel(b.toStdString(), spec, 2));
        spec.seed = 78;
        QVERIFY(testing::writeModel(c.toStdString(), spec, 2));
        QCOMPARE(fileBytes(a), fileBytes(b));
        QVERIFY(fileBytes(a) != fileBytes(c));
    }

    void generatorWritesEveryType_data()
    {
        QTest::addColumn<QString>("type");
        for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q6_K", "Q5_K", "Q4_K", "Q4_0", "Q3_K", "Q2_K"})
            QTest::newRow(type) << QString(type);
    }

    void generatorWritesEveryType()
    {
        QFETCH(QString, type);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama);
        for (uint32_t id = 0; id < 64; ++id)
            if (auto t = tensorTypeFromId(id); t && tensorTypeName(*t) == type.toStdString())
                spec.matrixType = t;
        QVERIFY(spec.matrixType);
        const QString path = m_dir.filePath(type + ".gguf");
        QVERIFY(testing::writeModel(path.toStdString(), spec, 2));
        auto model = ModelFile::open(path.toStdString());
        QVERIFY(model);
        for (const auto& t : (*model)->info().tensors) {
            const bool vector = t.dims.size() == 1;
            QCOMPARE(t.type, vector ? TensorType::F32 : *spec.matrixType);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelInfo)
#include "tst_model_info.moc"
