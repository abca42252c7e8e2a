// Reading valid GGUF headers: typed lookups, parsing from a prefix of a
// remote file, and mapped files.
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <random>

#include "gguf_test_bytes.h"
#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

using namespace ponder;
using ponder::test::asBytes;

namespace {

std::optional<std::vector<int64_t>> ints(std::vector<int64_t> v) { return v; }
std::optional<std::vector<double>> floats(std::vector<double> v) { return v; }

// A small model-like file: architecture keys, a vocabulary of `vocab`
// random tokens with merges and types, and three tensors.
std::vector<std::byte> sampleFile(int vocab)
{
    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> letter('a', 'z'), length(1, 12);
    std::vector<std::string> tokens, merges;
    std::vector<int32_t> types;
    for (int i = 0; i < vocab; ++i) {
        std::string token(static_cast<size_t>(length(rng)), ' ');
        for (char& c : token)
            c = static_cast<char>(letter(rng));
        tokens.push_back(token + std::to_string(i));
        merges.push_back(token.substr(0, 1) + " " + token.substr(1));
        types.push_back(i % 50 == 0 ? 3 : 1);
    }
    GgufWriter writer = GgufWriter::inMemory();
    writer.addString("general.architecture", "llama");
    writer.addUint32("llama.block_count", 2);
    writer.addUint64("llama.context_length", 131072);
    writer.addFloat32("llama.rope.freq_base", 500000.f);
    writer.addArray("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
    writer.addArray("tokenizer.ggml.merges", std::span<const std::string>(merges));
    writer.addArray("tokenizer.ggml.token_type", std::span<const int32_t>(types));
    writer.addTensor("token_embd.weight", TensorType::Q8_0, {64, 3});
    writer.addTensor("output_norm.weight", TensorType::F32, {64});
    writer.addTensor("blk.0.ffn_down.weight", TensorType::Q4_K, {256, 2});
    std::vector<std::byte> data(3 * 2 * 34 + 64 * 4 + 2 * 144);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::byte>(i * 7 + 3);
    std::span<const std::byte> rest = data;
    for (uint64_t bytes : {uint64_t{3 * 2 * 34}, uint64_t{64 * 4}, uint64_t{2 * 144}}) {
        if (!writer.writeTensorData(rest.first(bytes)))
            return {};
        rest = rest.subspan(bytes);
    }
    if (!writer.finish())
        return {};
    return writer.takeBytes();
}

void compareHeaders(const GgufHeader& a, const GgufHeader& b)
{
    QCOMPARE(a.version(), b.version());
    QCOMPARE(a.headerSize(), b.headerSize());
    QCOMPARE(a.dataOffset(), b.dataOffset());
    QCOMPARE(a.metadata().size(), b.metadata().size());
    for (size_t i = 0; i < a.metadata().size(); ++i) {
        QCOMPARE(a.metadata()[i].key, b.metadata()[i].key);
        QCOMPARE(a.metadata()[i].value.type(), b.metadata()[i].value.type());
        QVERIFY(std::ranges::equal(a.metadata()[i].value.payload(), b.metadata()[i].value.payload()));
    }
    QCOMPARE(a.tensors().size(), b.tensors().size());
    for (size_t i = 0; i < a.tensors().size(); ++i) {
        QCOMPARE(a.tensors()[i].name, b.tensors()[i].name);
        QCOMPARE(a.tensors()[i].dims, b.tensors()[i].dims);
        QCOMPARE(a.tensors()[i].offset, b.tensors()[i].offset);
        QCOMPARE(a.tensors()[i].bytes, b.tensors()[i].bytes);
    }
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT

private slots:
    void readsLayoutAndTensors();
    void integerGettersAcceptEveryWidth();
    void gettersDeclineOtherTypes();
    void version2IsAccepted();
    void headerCopiesOutliveTheOriginal();
    void everyPrefixAsksForMoreOrSucceeds_data();
    void everyPrefixAsksForMoreOrSucceeds();
    void fetchingWhatIsAskedConverges_data();
    void fetchingWhatIsAskedConverges();
    void opensMappedFile();
    void openReportsOsErrors();
    void openRejectsBrokenFiles();
};

void TestGguf::readsLayoutAndTensors()
{
    const auto file = sampleFile(20);
    const auto header = parseGgufHeader(file, file.size());
    QVERIFY2(header, header ? "" : header.error().message.c_str());
    QCOMPARE(header->version(), 3u);
    QCOMPARE(header->alignment(), uint64_t{32});
    QCOMPARE(header->dataOffset() % 32, uint64_t{0});
    QVERIFY(header->dataOffset() >= header->headerSize());
    QCOMPARE(header->fileSize(), uint64_t{file.size()});
    QCOMPARE(header->getString("general.architecture"), std::optional<std::string_view>("llama"));
    QCOMPARE(header->getUint("llama.block_count"), std::optional<uint64_t>(2));
    QCOMPARE(header->getFloat("llama.rope.freq_base"), std::optional<double>(500000.0));

    const auto tokens = header->getStringArray("tokenizer.ggml.tokens");
    QVERIFY(tokens);
    QCOMPARE(tokens->size(), size_t{20});
    QVERIFY(tokens->at(3).ends_with("3"));
    const auto types = header->getIntArray("tokenizer.ggml.token_type");
    QVERIFY(types);
    QCOMPARE(types->at(0), int64_t{3});
    QCOMPARE(types->at(1), int64_t{1});

    QCOMPARE(header->tensors().size(), size_t{3});
    const GgufTensorInfo* embd = header->findTensor("token_embd.weight");
    QVERIFY(embd);
    QCOMPARE(embd->type, TensorType::Q8_0);
    QCOMPARE(embd->dims, (std::vector<uint64_t>{64, 3}));
    QCOMPARE(embd->elementCount(), uint64_t{192});
    QCOMPARE(embd->bytes, uint64_t{3 * 2 * 34});
    QCOMPARE(embd->offset, uint64_t{0});
    const GgufTensorInfo* down = header->findTensor("blk.0.ffn_down.weight");
    QVERIFY(down);
    QCOMPARE(down->type, TensorType::Q4_K);
    QCOMPARE(down->offset % 32, uint64_t{0});
    QVERIFY(!header->findTensor("output.weight"));
    QVERIFY(!header->find("missing.key"));
}

void TestGguf::integerGettersAcceptEveryWidth()
{
    GgufWriter w = GgufWriter::inMemory();
    w.addUint8("u8", 200);
    w.addInt8("i8", -100);
    w.addUint16("u16", 60000);
    w.addInt16("i16", -30000);
    w.addUint32("u32", 4000000000u);
    w.addInt32("i32", -2000000000);
    w.addUint64("u64", ~uint64_t{0});
    w.addInt64("i64", INT64_MIN);
    w.addInt32("i32 positive", 151643);
    QVERIFY(w.finish());
    const auto file = w.takeBytes();
    const auto h = parseGgufHeader(file, file.size());
    QVERIFY(h);
    QCOMPARE(h->getUint("u8"), std::optional<uint64_t>(200));
    QCOMPARE(h->getInt("u8"), std::optional<int64_t>(200));
    QCOMPARE(h->getInt("i8"), std::optional<int64_t>(-100));
    QCOMPARE(h->getUint("i8"), std::nullopt);  // negative
    QCOMPARE(h->getUint("u16"), std::optional<uint64_t>(60000));
    QCOMPARE(h->getInt("i16"), std::optional<int64_t>(-30000));
    QCOMPARE(h->getUint("u32"), std::optional<uint64_t>(4000000000u));
    QCOMPARE(h->getInt("i32"), std::optional<int64_t>(-2000000000));
    QCOMPARE(h->getUint("u64"), std::optional<uint64_t>(~uint64_t{0}));
    QCOMPARE(h->getInt("u64"), std::nullopt);  // does not fit
    QCOMPARE(h->getInt("i64"), std::optional<int64_t>(INT64_MIN));
    QCOMPARE(h->getUint("i32 positive"), std::optional<uint64_t>(151643));
    QCOMPARE(h->getFloat("i32"), std::optional<double>(-2000000000.0));
}

void TestGguf::gettersDeclineOtherTypes()
{
    GgufWriter w = GgufWriter::inMemory();
    w.addString("text", "42");
    w.addFloat32("f32", 1.5f);
    w.addFloat64("f64", 1e-6);
    w.addBool("yes", true);
    w.addArray("floats", std::vector<float>{0.5f, -2.f});
    w.addArray("bools", std::vector<uint8_t>{1, 0});
    QVERIFY(w.finish());
    const auto file = w.takeBytes();
    const auto h = parseGgufHeader(file, file.size());
    QVERIFY(h);
    QCOMPARE(h->getUint("text"), std::nullopt);
    QCOMPARE(h->getUint("f32"), std::nullopt);
    QCOMPARE(h->getString("f32"), std::nullopt);
    QCOMPARE(h->getBool("text"), std::nullopt);
    QCOMPARE(h->getBool("yes"), std::optional<bool>(true));
    QCOMPARE(h->getFloat("f32"), std::optional<double>(1.5));
    QCOMPARE(h->getFloat("f64"), std::optional<double>(1e-6));
    QCOMPARE(h->getFloat("text"), std::nullopt);
    QCOMPARE(h->getStringArray("floats"), std::nullopt);
    QCOMPARE(h->getIntArray("floats"), std::nullopt);
    QCOMPARE(h->getFloatArray("floats"), floats({0.5, -2.0}));
    QCOMPARE(h->getIntArray("bools"), ints({1, 0}));
    QCOMPARE(h->getStringArray("text"), std::nullopt);
    QCOMPARE(h->getUint("missing"), std::nullopt);
}

void TestGguf::version2IsAccepted()
{
    auto file = sampleFile(5);
    QCOMPARE(file[4], std::byte{3});
    file[4] = std::byte{2};
    const auto header = parseGgufHeader(file, file.size());
    QVERIFY2(header, header ? "" : header.error().message.c_str());
    QCOMPARE(header->version(), 2u);
    QCOMPARE(header->tensors().size(), size_t{3});
}

// Views point into bytes the copies share, not into the parsed buffer.
void TestGguf::headerCopiesOutliveTheOriginal()
{
    std::optional<GgufHeader> copy;
    {
        auto file = sampleFile(10);
        auto original = parseGgufHeader(file, file.size());
        QVERIFY(original);
        copy = *original;
        std::ranges::fill(file, std::byte{0});
    }
    QCOMPARE(copy->getString("general.architecture"), std::optional<std::string_view>("llama"));
    QCOMPARE(copy->getStringArray("tokenizer.ggml.tokens")->size(), size_t{10});
    QCOMPARE(copy->findTensor("output_norm.weight")->name, std::string_view("output_norm.weight"));
}

void TestGguf::everyPrefixAsksForMoreOrSucceeds_data()
{
    QTest::addColumn<int>("vocab");
    QTest::addColumn<int>("stride");  // prefix lengths tested: every stride-th, plus the last few
    QTest::newRow("no vocabulary") << 0 << 1;
    QTest::newRow("20 tokens") << 20 << 1;
    QTest::newRow("3000 tokens") << 3000 << 37;
}

void TestGguf::everyPrefixAsksForMoreOrSucceeds()
{
    QFETCH(int, vocab);
    QFETCH(int, stride);
    const auto file = sampleFile(vocab);
    const auto whole = parseGgufHeader(file, file.size());
    QVERIFY(whole);
    const uint64_t headerSize = whole->headerSize();

    const auto check = [&](uint64_t length) {
        const auto result = parseGgufPrefix(std::span(file).first(length), file.size());
        if (length >= headerSize) {
            QVERIFY(result.header);
            compareHeaders(*result.header, *whole);
            return;
        }
        QVERIFY(!result.header);
        QCOMPARE(result.header.error().code, ErrorCode::NeedMoreData);
        QVERIFY(result.neededBytes > length);
        QVERIFY(result.neededBytes <= headerSize);
        // Exactly what was asked is enough to get past this point.
        const auto again = parseGgufPrefix(std::span(file).first(result.neededBytes), file.size());
        QVERIFY(again.header || again.neededBytes > result.neededBytes);
    };
    for (uint64_t length = 0; length < headerSize + 64; length += static_cast<uint64_t>(stride))
        check(length);
    for (uint64_t length = headerSize - 16; length <= headerSize + 1; ++length)
        check(length);

    const auto last = parseGgufPrefix(std::span(file).first(headerSize - 1), file.size());
    QCOMPARE(last.neededBytes, headerSize);
}

void TestGguf::fetchingWhatIsAskedConverges_data()
{
    QTest::addColumn<int>("vocab");
    QTest::newRow("20 tokens") << 20;
    QTest::newRow("3000 tokens") << 3000;
}

// A remote reader that fetches exactly what is asked ends with exactly the
// header: never more than it needs.
void TestGguf::fetchingWhatIsAskedConverges()
{
    QFETCH(int, vocab);
    const auto file = sampleFile(vocab);
    uint64_t length = 0;
    int rounds = 0;
    for (;;) {
        const auto result = parseGgufPrefix(std::span(file).first(length), file.size());
        ++rounds;
        if (result.header) {
            QCOMPARE(length, result.header->headerSize());
            break;
        }
        QCOMPARE(result.header.error().code, ErrorCode::NeedMoreData);
        QVERIFY(result.neededBytes > length);
        length = result.neededBytes;
        QVERIFY(rounds < 3 * vocab + 50);
    }
    qInfo("%d-token header of %llu bytes: %d rounds when fetching exactly what is asked", vocab,
          static_cast<unsigned long long>(length), rounds);
}

void TestGguf::opensMappedFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::filesystem::path path = dir.filePath("model.gguf").toStdString();
    const auto bytes = sampleFile(50);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));

    auto opened = GgufFile::open(path);
    QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
    GgufFile file = std::move(*opened);  // views survive moves
    QCOMPARE(file.size(), uint64_t{bytes.size()});
    QCOMPARE(file.path(), path);
    const auto fromMemory = parseGgufHeader(bytes, bytes.size());
    QVERIFY(fromMemory);
    compareHeaders(file.header(), *fromMemory);

    for (const GgufTensorInfo& tensor : file.header().tensors()) {
        const auto data = file.tensorData(tensor);
        QCOMPARE(data.size(), size_t{tensor.bytes});
        const uint64_t at = file.header().tensorFileOffset(tensor);
        QVERIFY(std::ranges::equal(data, std::span(bytes).subspan(at, tensor.bytes)));
        file.prefetch(tensor);
        file.release(tensor);
        QVERIFY(std::ranges::equal(file.tensorData(tensor), std::span(bytes).subspan(at, tensor.bytes)));
    }
    GgufTensorInfo foreign = *file.findTensor("output_norm.weight");
    foreign.offset = file.size();
    QVERIFY(file.tensorData(foreign).empty());
}

void TestGguf::openReportsOsErrors()
{
    QTemporaryDir dir;
    const auto missing = GgufFile::open(dir.filePath("absent.gguf").toStdString());
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(QString::fromStdString(missing.error().message).contains("absent.gguf"));

    const auto directory = GgufFile::open(dir.path().toStdString());
    QVERIFY(!directory);
    QCOMPARE(directory.error().code, ErrorCode::Io);
}

void TestGguf::openRejectsBrokenFiles()
{
    QTemporaryDir dir;
    const auto bytes = sampleFile(5);
    const auto write = [&](const char* name, size_t length) {
        const std::string path = dir.filePath(name).toStdString();
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                    static_cast<std::streamsize>(length));
        return GgufFile::open(path);
    };
    const auto empty = write("empty.gguf", 0);
    QVERIFY(!empty);
    QCOMPARE(empty.error().code, ErrorCode::Malformed);
    QVERIFY(QString::fromStdString(empty.error().message).contains("empty.gguf"));

    const auto truncated = write("truncated.gguf", bytes.size() - 300);
    QVERIFY(!truncated);
    QCOMPARE(truncated.error().code, ErrorCode::Malformed);
    const QString message = QString::fromStdString(truncated.error().message);
    QVERIFY2(message.contains("truncated.gguf") && message.contains("past the end"), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
