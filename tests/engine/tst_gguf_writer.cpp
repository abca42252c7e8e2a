// Writing GGUF files: everything written reads back the same, data streams
// to disk instead of piling up in memory, and mistakes are error values.
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>

#include "gguf_test_bytes.h"
#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

using namespace ponder;

using WriterStep = std::function<void(GgufWriter&)>;
Q_DECLARE_METATYPE(WriterStep)

namespace {

std::optional<std::vector<int64_t>> ints(std::vector<int64_t> v) { return v; }
std::optional<std::vector<double>> floats(std::vector<double> v) { return v; }
std::optional<std::vector<std::string_view>> views(std::vector<std::string_view> v) { return v; }

struct TensorSpec {
    const char* name;
    TensorType type;
    std::vector<uint64_t> dims;
};

const std::vector<TensorSpec> kTensors = {
    {"f32", TensorType::F32, {7, 3}},
    {"f16", TensorType::F16, {64}},
    {"bf16", TensorType::BF16, {2, 2, 2, 2}},
    {"blk.0.attn_q.weight", TensorType::Q4_K, {256, 3}},
    {"q8_0", TensorType::Q8_0, {32, 5}},
    {"q6_k", TensorType::Q6_K, {512}},
    {"q4_0", TensorType::Q4_0, {64, 2}},
    {"q2_k", TensorType::Q2_K, {256, 1, 1}},
};

uint64_t bytesOf(const TensorSpec& t)
{
    uint64_t count = 1;
    for (uint64_t d : t.dims)
        count *= d;
    return tensorBytes(t.type, count);
}

// Every metadata type, edge values included.
void addAllMetadata(GgufWriter& w)
{
    w.addUint8("u8", 255);
    w.addInt8("i8", -128);
    w.addUint16("u16", 65535);
    w.addInt16("i16", -32768);
    w.addUint32("u32", 4294967295u);
    w.addInt32("i32", INT32_MIN);
    w.addUint64("u64", ~uint64_t{0});
    w.addInt64("i64", INT64_MIN);
    w.addFloat32("f32", -0.15625f);
    w.addFloat64("f64", 1e-300);
    w.addBool("true", true);
    w.addBool("false", false);
    w.addString("string", "<｜User｜>naïve \xF0\x9F\x98\x80");
    w.addString("empty string", "");
    w.addString("with nul", std::string_view("a\0b", 3));
    w.addArray("u8s", std::vector<uint8_t>{0, 255});
    w.addArray("i8s", std::vector<int8_t>{-128, 127});
    w.addArray("u16s", std::vector<uint16_t>{1, 65535});
    w.addArray("i16s", std::vector<int16_t>{-32768, 32767});
    w.addArray("u32s", std::vector<uint32_t>{7, 4294967295u});
    w.addArray("i32s", std::vector<int32_t>{INT32_MIN, 0, INT32_MAX});
    w.addArray("u64s", std::vector<uint64_t>{uint64_t{1} << 40});
    w.addArray("i64s", std::vector<int64_t>{-1, INT64_MAX});
    w.addArray("f32s", std::vector<float>{1.f, -2.5f, 1e-7f});
    w.addArray("f64s", std::vector<double>{3.141592653589793});
    const bool bools[] = {true, false, true};
    w.addArray("bools", std::span<const bool>(bools));
    w.addArray("strings", std::vector<std::string>{"hello", "", "Ġworld", std::string("x\0y", 3)});
    w.addArray("string views", std::vector<std::string_view>{"a", "bc"});
    w.addArray("empty", std::vector<int32_t>{});
}

void checkAllMetadata(const GgufHeader& h)
{
    QCOMPARE(h.getUint("u8"), std::optional<uint64_t>(255));
    QCOMPARE(h.getInt("i8"), std::optional<int64_t>(-128));
    QCOMPARE(h.getUint("u16"), std::optional<uint64_t>(65535));
    QCOMPARE(h.getInt("i16"), std::optional<int64_t>(-32768));
    QCOMPARE(h.getUint("u32"), std::optional<uint64_t>(4294967295u));
    QCOMPARE(h.getInt("i32"), std::optional<int64_t>(INT32_MIN));
    QCOMPARE(h.getUint("u64"), std::optional<uint64_t>(~uint64_t{0}));
    QCOMPARE(h.getInt("i64"), std::optional<int64_t>(INT64_MIN));
    QCOMPARE(h.getFloat("f32"), std::optional<double>(-0.15625));
    QCOMPARE(h.getFloat("f64"), std::optional<double>(1e-300));
    QCOMPARE(h.getBool("true"), std::optional<bool>(true));
    QCOMPARE(h.getBool("false"), std::optional<bool>(false));
    QCOMPARE(h.getString("string"), std::optional<std::string_view>("<｜User｜>naïve \xF0\x9F\x98\x80"));
    QCOMPARE(h.getString("empty string"), std::optional<std::string_view>(""));
    QCOMPARE(h.getString("with nul"), std::optional<std::string_view>(std::string_view("a\0b", 3)));
    QCOMPARE(h.getIntArray("u8s"), ints({0, 255}));
    QCOMPARE(h.getIntArray("i8s"), ints({-128, 127}));
    QCOMPARE(h.getIntArray("u16s"), ints({1, 65535}));
    QCOMPARE(h.getIntArray("i16s"), ints({-32768, 32767}));
    QCOMPARE(h.getIntArray("u32s"), ints({7, 4294967295}));
    QCOMPARE(h.getIntArray("i32s"), ints({INT32_MIN, 0, INT32_MAX}));
    QCOMPARE(h.getIntArray("u64s"), ints({int64_t{1} << 40}));
    QCOMPARE(h.getIntArray("i64s"), ints({-1, INT64_MAX}));
    QCOMPARE(h.getFloatArray("f32s"), floats({1.0, -2.5, double{1e-7f}}));
    QCOMPARE(h.getFloatArray("f64s"), floats({3.141592653589793}));
    const GgufValue* bools = h.find("bools");
    QVERIFY(bools);
    QCOMPARE(bools->elementType(), GgufType::Bool);
    QCOMPARE(bools->size(), uint64_t{3});
    QCOMPARE(std::to_integer<int>(bools->payload()[2]), 1);
    QCOMPARE(h.getStringArray("strings"), views(
                                              {"hello", "", "Ġworld", std::string_view("x\0y", 3)}));
    QCOMPARE(h.getStringArray("string views"), views({"a", "bc"}));
    QCOMPARE(h.getIntArray("empty"), ints(std::vector<int64_t>{}));
    QCOMPARE(h.find("empty")->elementType(), GgufType::Int32);
}

std::vector<std::byte> randomBytes(uint64_t size, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<std::byte> out(size);
    for (std::byte& b : out)
        b = static_cast<std::byte>(rng() & 0xff);
    return out;
}

// Declares kTensors, then writes each one's random bytes in pieces of
// `piece` bytes (0: random sizes).
Result<void> writeTensors(GgufWriter& w, uint64_t piece)
{
    for (const TensorSpec& t : kTensors)
        w.addTensor(t.name, t.type, t.dims);
    std::mt19937 rng(7);
    for (size_t i = 0; i < kTensors.size(); ++i) {
        const auto data = randomBytes(bytesOf(kTensors[i]), static_cast<uint32_t>(i));
        std::span<const std::byte> rest = data;
        while (!rest.empty()) {
            const uint64_t n = std::min<uint64_t>(rest.size(), piece ? piece : 1 + rng() % 200);
            PONDER_TRY(w.writeTensorData(rest.first(n)));
            rest = rest.subspan(n);
        }
    }
    return w.finish();
}

std::vector<std::byte> readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> chars{std::istreambuf_iterator<char>(in), {}};
    std::vector<std::byte> out(chars.size());
    std::memcpy(out.data(), chars.data(), chars.size());
    return out;
}

} // namespace

class TestGgufWriter : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void copiesValuesFromAnotherFile();
    void headerOnlyFile();
    void rejectsMistakes_data();
    void rejectsMistakes();
    void streamsDataToDisk();
    void reportsWriteFailures();
};

void TestGgufWriter::roundTrip_data()
{
    QTest::addColumn<qulonglong>("alignment");
    QTest::addColumn<qulonglong>("piece");
    QTest::newRow("default alignment, whole tensors") << 32ull << ~0ull;
    QTest::newRow("default alignment, random pieces") << 32ull << 0ull;
    QTest::newRow("alignment 1, 3-byte pieces") << 1ull << 3ull;
    QTest::newRow("alignment 64, random pieces") << 64ull << 0ull;
    QTest::newRow("alignment 4096, 1000-byte pieces") << 4096ull << 1000ull;
}

void TestGgufWriter::roundTrip()
{
    QFETCH(qulonglong, alignment);
    QFETCH(qulonglong, piece);
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("round.gguf").toStdString();

    auto created = GgufWriter::create(path);
    QVERIFY(created);
    GgufWriter toFile = std::move(*created);
    GgufWriter toMemory = GgufWriter::inMemory();
    for (GgufWriter* w : {&toFile, &toMemory}) {
        w->setAlignment(alignment);
        addAllMetadata(*w);
        const auto written = writeTensors(*w, piece);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
    }
    QVERIFY(!std::filesystem::exists(path.string() + ".part"));
    const std::vector<std::byte> memory = toMemory.takeBytes();
    QCOMPARE(memory.size(), size_t{toMemory.fileSize()});
    QVERIFY(readFile(path) == memory);

    auto file = GgufFile::open(path);
    QVERIFY2(file, file ? "" : file.error().message.c_str());
    const GgufHeader& h = file->header();
    QCOMPARE(h.version(), 3u);
    QCOMPARE(h.alignment(), uint64_t{alignment});
    QCOMPARE(h.getUint("general.alignment"), alignment == 32 ? std::nullopt : std::optional<uint64_t>(alignment));
    QCOMPARE(h.dataOffset(), toFile.dataOffset());
    checkAllMetadata(h);

    QCOMPARE(h.tensors().size(), kTensors.size());
    for (size_t i = 0; i < kTensors.size(); ++i) {
        const GgufTensorInfo& t = h.tensors()[i];
        QCOMPARE(t.name, std::string_view(kTensors[i].name));
        QCOMPARE(t.type, kTensors[i].type);
        QCOMPARE(t.dims, kTensors[i].dims);
        QCOMPARE(t.bytes, bytesOf(kTensors[i]));
        QCOMPARE(t.offset % alignment, 0ull);
        QVERIFY(std::ranges::equal(file->tensorData(t), randomBytes(t.bytes, static_cast<uint32_t>(i))));
    }
}

// addValue() carries any value over byte for byte, arrays of arrays too.
void TestGgufWriter::copiesValuesFromAnotherFile()
{
    GgufWriter source = GgufWriter::inMemory();
    source.setAlignment(128);
    addAllMetadata(source);
    QVERIFY(source.finish());
    auto sourceBytes = source.takeBytes();
    const auto sourceHeader = parseGgufHeader(sourceBytes, sourceBytes.size());
    QVERIFY(sourceHeader);

    ponder::test::GgufBytes nested;
    nested.start(3, 0, 1).str("nested").u32(9).u32(9).u64(1).u32(8).u64(1).str("deep");
    const auto nestedHeader = parseGgufHeader(nested.span(), nested.size());
    QVERIFY(nestedHeader);

    GgufWriter copy = GgufWriter::inMemory();
    for (const GgufKeyValue& kv : sourceHeader->metadata())
        copy.addValue(kv.key, kv.value);
    copy.addValue("nested", *nestedHeader->find("nested"));
    QVERIFY(copy.finish());
    const auto copyBytes = copy.takeBytes();
    const auto h = parseGgufHeader(copyBytes, copyBytes.size());
    QVERIFY2(h, h ? "" : h.error().message.c_str());
    QCOMPARE(h->alignment(), uint64_t{128});
    checkAllMetadata(*h);
    const GgufValue* copied = h->find("nested");
    QVERIFY(copied);
    QVERIFY(std::ranges::equal(copied->payload(), nestedHeader->find("nested")->payload()));
}

void TestGgufWriter::headerOnlyFile()
{
    GgufWriter w = GgufWriter::inMemory();
    w.addString("general.architecture", "qwen2");
    QVERIFY(w.finish());
    const auto bytes = w.takeBytes();
    QCOMPARE(bytes.size(), size_t{w.dataOffset()});
    const auto h = parseGgufHeader(bytes, bytes.size());
    QVERIFY(h);
    QVERIFY(h->tensors().empty());
    QCOMPARE(h->metadata().size(), size_t{1});
}

void TestGgufWriter::rejectsMistakes_data()
{
    QTest::addColumn<WriterStep>("step");
    QTest::addColumn<QString>("mentions");
    const std::vector<std::byte> kb(1024);
    const auto row = [](const char* name, WriterStep step, const char* mentions) {
        QTest::newRow(name) << step << QString::fromUtf8(mentions);
    };
    row("duplicate key", [](GgufWriter& w) { w.addUint32("a", 1); w.addString("a", "x"); }, "'a' was added twice");
    row("empty key", [](GgufWriter& w) { w.addUint32("", 1); }, "empty or too long");
    row("alignment key", [](GgufWriter& w) { w.addUint32("general.alignment", 64); }, "setAlignment");
    row("alignment 0", [](GgufWriter& w) { w.setAlignment(0); }, "power of two");
    row("alignment 48", [](GgufWriter& w) { w.setAlignment(48); }, "power of two");
    row("duplicate tensor", [](GgufWriter& w) {
        w.addTensor("t", TensorType::F32, {4});
        w.addTensor("t", TensorType::F32, {4});
    }, "declared twice");
    row("zero dim", [](GgufWriter& w) { w.addTensor("t", TensorType::F32, {4, 0}); }, "zero");
    row("no dims", [](GgufWriter& w) { w.addTensor("t", TensorType::F32, {}); }, "1 to 4 dimensions");
    row("five dims", [](GgufWriter& w) { w.addTensor("t", TensorType::F32, {1, 1, 1, 1, 1}); }, "1 to 4 dimensions");
    row("partial block", [](GgufWriter& w) { w.addTensor("t", TensorType::Q4_K, {128}); }, "Q4_K blocks");
    row("unknown type", [](GgufWriter& w) { w.addTensor("t", static_cast<TensorType>(99), {4}); }, "unknown type");
    row("long name", [](GgufWriter& w) { w.addTensor(std::string(64, 'x'), TensorType::F32, {4}); }, "1 to 63 bytes");
    row("piece past tensor end", [kb](GgufWriter& w) {
        w.addTensor("t", TensorType::F32, {100});
        (void)w.writeTensorData(std::span(kb).first(300));
        (void)w.writeTensorData(std::span(kb).first(101));
    }, "which has 100 of its 400 bytes left");
    row("data after the last tensor", [kb](GgufWriter& w) {
        w.addTensor("t", TensorType::F32, {4});
        (void)w.writeTensorData(std::span(kb).first(16));
        (void)w.writeTensorData(std::span(kb).first(1));
    }, "after all 1 tensors were complete");
    row("missing data", [kb](GgufWriter& w) {
        w.addTensor("a", TensorType::F32, {4});
        w.addTensor("b", TensorType::F32, {4});
        (void)w.writeTensorData(std::span(kb).first(8));
    }, "tensor 'a' got 8 of its 16 bytes");
    row("metadata after header", [](GgufWriter& w) {
        (void)w.writeHeader();
        w.addUint32("late", 1);
    }, "after the header");
    row("tensor after header", [](GgufWriter& w) {
        (void)w.writeHeader();
        w.addTensor("late", TensorType::F32, {1});
    }, "after the header");
}

void TestGgufWriter::rejectsMistakes()
{
    QFETCH(WriterStep, step);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("bad.gguf").toStdString();
    {
        auto w = GgufWriter::create(path);
        QVERIFY(w);
        step(*w);
        const auto finished = w->finish();
        QVERIFY(!finished);
        QCOMPARE(finished.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(QString::fromStdString(finished.error().message).contains(mentions),
                 finished.error().message.c_str());
        // The first mistake sticks: later calls report it too.
        const auto again = w->writeTensorData({});
        QVERIFY(!again);
        QCOMPARE(again.error().message, finished.error().message);
    }
    QVERIFY(!std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(path.string() + ".part"));
}

// The data reaches the file while it is written: the writer holds at most a
// stdio buffer of it, so a many-gigabyte model never sits in memory.
void TestGgufWriter::streamsDataToDisk()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("big.gguf").toStdString();
    const std::filesystem::path part = path.string() + ".part";
    auto w = GgufWriter::create(path);
    QVERIFY(w);
    constexpr uint64_t kPiece = 64 * 1024;
    constexpr uint64_t kPieces = 64;  // a 4 MiB tensor
    w->addTensor("big", TensorType::F32, {kPiece / 4, kPieces});
    const auto piece = randomBytes(kPiece, 1);
    for (uint64_t i = 0; i < kPieces; ++i) {
        QVERIFY(w->writeTensorData(piece));
        const uint64_t onDisk = std::filesystem::file_size(part);
        QVERIFY(onDisk + BUFSIZ >= w->dataOffset() + (i + 1) * kPiece);
    }
    QVERIFY(w->finish());
    QVERIFY(!std::filesystem::exists(part));
    QCOMPARE(std::filesystem::file_size(path), w->fileSize());
    const auto file = GgufFile::open(path);
    QVERIFY(file);
    QVERIFY(std::ranges::equal(file->tensorData(file->header().tensors()[0]).last(kPiece), piece));
}

// A full disk shows as an Io error value. RLIMIT_FSIZE stands in for it:
// with SIGXFSZ ignored, writes past the limit fail with EFBIG.
void TestGgufWriter::reportsWriteFailures()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.filePath("full.gguf").toStdString();
    rlimit saved{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 256 * 1024;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);

    Result<void> result;
    {
        auto w = GgufWriter::create(path);
        QVERIFY(w);
        w->addTensor("big", TensorType::F32, {256 * 1024});  // 1 MiB
        const auto piece = randomBytes(64 * 1024, 2);
        for (int i = 0; i < 16 && result; ++i)
            result = w->writeTensorData(piece);
        if (result)
            result = w->finish();
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);

    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Io);
    QVERIFY2(QString::fromStdString(result.error().message).contains("writing failed"), result.error().message.c_str());
    QVERIFY(!std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(path.string() + ".part"));
}

QTEST_GUILESS_MAIN(TestGgufWriter)
#include "tst_gguf_writer.moc"
