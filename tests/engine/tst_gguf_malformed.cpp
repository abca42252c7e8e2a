// Hostile and broken GGUF headers: each gives an error value that names the
// problem, never a crash, a hang or a giant allocation.
#include <QTest>

#include "gguf_test_bytes.h"
#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

using namespace ponder;
using ponder::test::GgufBytes;
using ponder::test::asBytes;

Q_DECLARE_METATYPE(ponder::ErrorCode)

namespace {

constexpr uint32_t kF32 = 0;
constexpr uint32_t kQ4K = 12;
constexpr uint64_t kHuge = uint64_t{1} << 63;

// A valid one-tensor file: F32 [32] at offset 0, 128 bytes of data.
GgufBytes validFile()
{
    GgufBytes b;
    b.start(3, 1, 1).keyString("general.architecture", "llama").tensor("t", {32}, kF32, 0).padTo(32).zeros(128);
    return b;
}

// One tensor after the given metadata, with `dataBytes` of data.
GgufBytes withTensor(GgufBytes b, std::initializer_list<uint64_t> dims, uint32_t type, uint64_t offset, size_t dataBytes)
{
    return b.tensor("blk.0.attn_q.weight", dims, type, offset).padTo(32).zeros(dataBytes);
}

GgufBytes alignmentKey(uint32_t type, auto writeValue)
{
    GgufBytes b;
    b.start(3, 0, 1).str("general.alignment").u32(type);
    writeValue(b);
    return b;
}

} // namespace

class TestGgufMalformed : public QObject {
    Q_OBJECT

private slots:
    void rejects_data();
    void rejects();
    void everyTruncationIsMalformed();
    void prefixLongerThanFileIsInvalid();
    void nestedArraysAreSkipped();
};

void TestGgufMalformed::rejects_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("mentions");
    const auto row = [](const char* name, const GgufBytes& b, const char* mentions, ErrorCode code = ErrorCode::Malformed) {
        QTest::newRow(name) << b.toByteArray() << code << QString::fromUtf8(mentions);
    };
    const auto header = [](uint64_t tensors, uint64_t keys) {
        GgufBytes b;
        b.start(3, tensors, keys);
        return b;
    };

    row("bad magic", GgufBytes().raw("GGML").u32(3).u64(0).u64(0), "not a GGUF file");
    row("text file", GgufBytes().raw("hello world, this is not a model"), "not a GGUF file");
    row("version 1", GgufBytes().start(1, 0, 0), "version 1 ");
    row("version 4", GgufBytes().start(4, 0, 0), "version 4 ");
    row("too short", GgufBytes().raw("GGUF").u32(3), "too short");
    row("huge key length", header(0, 1).u64(kHuge).zeros(16), "exceeds the limit");
    row("key past end", header(0, 1).u64(60000).zeros(16), "past the end");
    row("empty key", header(0, 1).str("").u32(4).u32(1), "empty key");
    row("huge string length", header(0, 1).str("k").u32(8).u64(kHuge).raw("abc"), "string (9223372036854775808 bytes");
    row("huge array count", header(0, 1).str("k").u32(9).u32(0).u64(uint64_t{1} << 60).zeros(8), "cannot fit");
    row("huge string array count", header(0, 1).str("k").u32(9).u32(8).u64(uint64_t{1} << 60).zeros(8), "cannot fit");
    row("huge string in array", header(0, 1).str("tokenizer.ggml.tokens").u32(9).u32(8).u64(2).str("a").u64(kHuge),
        "element 1: string");
    row("unknown value type", header(0, 1).str("k").u32(13).u32(0), "unknown value type 13");
    row("unknown element type", header(0, 1).str("k").u32(9).u32(99).u64(0), "unknown element type 99");
    {
        GgufBytes b = header(0, 1).str("k").u32(9);
        for (int depth = 0; depth < 6; ++depth)
            b.u32(9).u64(1);  // element type array, one element
        row("arrays nested too deep", b.u32(0).u64(0), "nested");
    }
    row("duplicate key", header(0, 2).keyU32("a", 1).keyU32("a", 2), "'a' appears twice");
    row("huge tensor count", header(uint64_t{1} << 60, 0), "1152921504606846976 tensors");
    row("tensor count past end", header(1000, 0).zeros(64), "more than the");
    row("huge metadata count", header(0, uint64_t{1} << 62), "metadata entries");
    row("empty tensor name", header(1, 0).tensor("", {32}, kF32, 0).zeros(128), "empty name");
    row("tensor name too long", header(1, 0).tensor(std::string(100, 'x'), {32}, kF32, 0), "exceeds the limit");
    row("five dims", header(1, 0).tensor("t", {32, 1, 1, 1, 1}, kF32, 0), "5 dimensions");
    row("no dims", header(1, 0).str("t").u32(0).u32(kF32).u64(0).zeros(64), "0 dimensions");
    row("zero dim", withTensor(header(1, 0), {32, 0}, kF32, 0, 0), "zero dimension");
    row("dims overflow", withTensor(header(1, 0), {uint64_t{1} << 32, uint64_t{1} << 32, 2}, kF32, 0, 0),
        "element count overflows");
    row("bytes overflow", withTensor(header(1, 0), {uint64_t{1} << 61, 4}, kF32, 0, 0), "size overflows");
    row("unknown type id", withTensor(header(1, 0), {32}, 1000, 0, 128), "unknown type id 1000");
    row("type Ponder does not know", withTensor(header(1, 0), {32}, 23, 0, 128), "ggml type 23", ErrorCode::Unsupported);
    row("partial block", withTensor(header(1, 0), {100, 2}, kQ4K, 0, 1024), "blocks of 256");
    row("misaligned offset", withTensor(header(1, 0), {8}, kF32, 16, 64), "not a multiple of the alignment 32");
    row("tensor past end", withTensor(header(1, 0), {1024}, kF32, 0, 128), "data ends at byte 4192, past the end of the 224-byte file");
    row("offset past end", withTensor(header(1, 0), {32}, kF32, uint64_t{1} << 40, 128), "past the end");
    row("duplicate tensor", header(2, 0).tensor("t", {8}, kF32, 0).tensor("t", {8}, kF32, 32).padTo(32).zeros(64),
        "'t' appears twice");
    row("overlapping tensors", header(2, 0).tensor("a", {32}, kF32, 0).tensor("b", {32}, kF32, 64).padTo(32).zeros(256),
        "'a' and 'b' overlap");
    row("same offset", header(2, 0).tensor("a", {8}, kF32, 32).tensor("b", {8}, kF32, 32).padTo(32).zeros(128), "overlap");
    row("alignment 0", alignmentKey(4, [](GgufBytes& b) { b.u32(0); }), "is 0; it must be a power of two");
    row("alignment 48", alignmentKey(4, [](GgufBytes& b) { b.u32(48); }), "is 48; it must be a power of two");
    row("alignment -32", alignmentKey(5, [](GgufBytes& b) { b.u32(static_cast<uint32_t>(-32)); }), "power of two");
    row("alignment 2^40", alignmentKey(10, [](GgufBytes& b) { b.u64(uint64_t{1} << 40); }), "power of two");
    row("alignment string", alignmentKey(8, [](GgufBytes& b) { b.str("32"); }), "has type string");
    row("alignment f32", alignmentKey(6, [](GgufBytes& b) { b.u32(0x42000000); }), "has type f32");
    row("alignment bool", alignmentKey(7, [](GgufBytes& b) { b.u8(1); }), "has type bool");
}

void TestGgufMalformed::rejects()
{
    QFETCH(QByteArray, file);
    QFETCH(ErrorCode, code);
    QFETCH(QString, mentions);

    const auto result = parseGgufHeader(asBytes(file), static_cast<uint64_t>(file.size()));
    QVERIFY(!result);
    QCOMPARE(result.error().code, code);
    const QString message = QString::fromStdString(result.error().message);
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));

    // Any prefix either asks for more bytes or already finds the same fault.
    for (qsizetype length = 0; length < file.size(); ++length) {
        const auto prefix = parseGgufPrefix(asBytes(file).first(static_cast<size_t>(length)),
                                            static_cast<uint64_t>(file.size()));
        QVERIFY(!prefix.header);
        if (prefix.header.error().code == ErrorCode::NeedMoreData) {
            QVERIFY(prefix.neededBytes > static_cast<uint64_t>(length));
            QVERIFY(prefix.neededBytes <= static_cast<uint64_t>(file.size()));
        } else if (length >= 4) {
            QCOMPARE(prefix.header.error().message, result.error().message);
        } else {
            // Part of the magic already tells a foreign file; the message
            // quotes the bytes that arrived.
            QCOMPARE(prefix.header.error().code, result.error().code);
        }
    }
}

// A file cut anywhere before the end of its last tensor is malformed, with
// a message that says it ended early.
void TestGgufMalformed::everyTruncationIsMalformed()
{
    GgufWriter writer = GgufWriter::inMemory();
    writer.addString("general.architecture", "qwen2");
    writer.addArray("tokenizer.ggml.tokens", std::vector<std::string>{"a", "bb", "ccc", "<think>"});
    writer.addArray("tokenizer.ggml.token_type", std::vector<int32_t>{1, 1, 1, 3});
    writer.addTensor("a", TensorType::F32, {8, 2});
    writer.addTensor("b", TensorType::Q8_0, {64});
    const std::vector<std::byte> a(64, std::byte{1}), b(68, std::byte{2});
    QVERIFY(writer.writeTensorData(a));
    QVERIFY(writer.writeTensorData(b));
    QVERIFY(writer.finish());
    const std::vector<std::byte> file = writer.takeBytes();
    const auto whole = parseGgufHeader(file, file.size());
    QVERIFY(whole);
    const GgufTensorInfo& last = whole->tensors().back();
    const uint64_t dataEnd = whole->tensorFileOffset(last) + last.bytes;

    for (size_t length = 0; length < file.size(); ++length) {
        const auto cut = parseGgufHeader(std::span(file).first(length), length);
        if (length >= dataEnd) {
            QVERIFY(cut);  // only padding after the last tensor is missing
            continue;
        }
        QVERIFY2(!cut, qPrintable(QString::number(length)));
        QCOMPARE(cut.error().code, ErrorCode::Malformed);
        const QString message = QString::fromStdString(cut.error().message);
        QVERIFY2(message.contains(QStringLiteral("the %1-byte file").arg(length)), qPrintable(message));
    }
}

void TestGgufMalformed::prefixLongerThanFileIsInvalid()
{
    const GgufBytes b = validFile();
    const auto result = parseGgufPrefix(b.span(), b.size() - 1);
    QVERIFY(!result.header);
    QCOMPARE(result.header.error().code, ErrorCode::InvalidArgument);
    QVERIFY(parseGgufHeader(b.span(), b.size()));
}

// Arrays of arrays are legal GGUF: they are read past, and the typed getters
// decline them.
void TestGgufMalformed::nestedArraysAreSkipped()
{
    GgufBytes b;
    b.start(3, 0, 2).str("nested").u32(9).u32(9).u64(2);
    b.u32(0).u64(3).u8(1).u8(2).u8(3);           // [1, 2, 3] as u8
    b.u32(8).u64(2).str("x").str("yz");          // ["x", "yz"]
    b.keyU32("after", 7);
    const auto header = parseGgufHeader(b.span(), b.size());
    QVERIFY2(header, header ? "" : header.error().message.c_str());
    const GgufValue* nested = header->find("nested");
    QVERIFY(nested);
    QCOMPARE(nested->elementType(), GgufType::Array);
    QCOMPARE(nested->size(), uint64_t{2});
    QVERIFY(!nested->toStringArray());
    QVERIFY(!nested->toIntArray());
    QCOMPARE(header->getUint("after"), std::optional<uint64_t>(7));
}

QTEST_GUILESS_MAIN(TestGgufMalformed)
#include "tst_gguf_malformed.moc"
