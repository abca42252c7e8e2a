// libFuzzer target for the GGUF header parser: any input parses to a header
// or an error, never a crash, and what parses obeys the reader's promises.
//
// Each input is tried as a whole file and as the first half of a file, the
// way the model picker reads a header over HTTP. A header that parses is
// read through every getter, re-written with GgufWriter and parsed again.
#include <cstddef>
#include <cstdint>
#include <span>

#include "ponder/gguf.h"
#include "ponder/gguf_writer.h"

using namespace ponder;

namespace {

// A broken promise is a finding: trap so that libFuzzer saves the input.
void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// Reads every value through every getter; the sum keeps the reads alive.
uint64_t readEverything(const GgufHeader& header)
{
    uint64_t sum = 0;
    for (const GgufKeyValue& kv : header.metadata()) {
        const GgufValue& v = kv.value;
        require(header.find(kv.key) == &v);
        sum += v.toUint().value_or(1) + static_cast<uint64_t>(v.toInt().value_or(2));
        sum += static_cast<uint64_t>(v.toFloat().value_or(0.0) != 0.0) + v.toBool().value_or(false);
        if (const auto s = v.toString())
            sum += s->size();
        if (const auto strings = v.toStringArray()) {
            require(strings->size() == v.size());
            for (std::string_view s : *strings)
                sum += s.empty() ? 0 : static_cast<unsigned char>(s.back());
        }
        if (const auto ints = v.toIntArray()) {
            require(ints->size() == v.size());
            for (int64_t i : *ints)
                sum += static_cast<uint64_t>(i);
        }
        if (const auto floats = v.toFloatArray())
            require(floats->size() == v.size());
        sum += header.getUint(kv.key).value_or(0);
    }
    for (const GgufTensorInfo& t : header.tensors()) {
        require(header.findTensor(t.name) == &t);
        require(!t.dims.empty() && t.dims.size() <= 4);
        require(t.offset % header.alignment() == 0);
        require(header.tensorFileOffset(t) + t.bytes <= header.fileSize());
        require(tensorBytes(t.type, t.elementCount()) == t.bytes);
        sum += t.elementCount();
    }
    return sum;
}

// Writes the header's metadata and tensors (with zero data) anew: the writer
// must accept whatever the reader accepted, and the result must read back
// the same.
void rewrite(const GgufHeader& header)
{
    GgufWriter writer = GgufWriter::inMemory();
    for (const GgufKeyValue& kv : header.metadata())
        writer.addValue(kv.key, kv.value);
    for (const GgufTensorInfo& t : header.tensors())
        writer.addTensor(t.name, t.type, t.dims);
    for (const GgufTensorInfo& t : header.tensors()) {
        static const std::byte zeros[4096] = {};
        for (uint64_t left = t.bytes; left > 0;) {
            const uint64_t n = left < sizeof zeros ? left : sizeof zeros;
            require(writer.writeTensorData(std::span(zeros, n)).has_value());
            left -= n;
        }
    }
    require(writer.finish().has_value());
    const std::vector<std::byte> bytes = writer.takeBytes();
    const auto again = parseGgufHeader(bytes, bytes.size());
    require(again.has_value());
    // general.alignment is the one key the writer re-encodes: as a u32, and
    // not at all when it is the default 32.
    require(again->alignment() == header.alignment());
    const bool dropsAlignment = header.find("general.alignment") && header.alignment() == 32;
    require(again->metadata().size() == header.metadata().size() - (dropsAlignment ? 1 : 0));
    for (const GgufKeyValue& kv : header.metadata()) {
        if (kv.key == "general.alignment")
            continue;
        const GgufValue* copy = again->find(kv.key);
        require(copy && copy->type() == kv.value.type() && copy->size() == kv.value.size());
        require(std::ranges::equal(copy->payload(), kv.value.payload()));
    }
    require(again->tensors().size() == header.tensors().size());
    for (const GgufTensorInfo& t : header.tensors()) {
        const GgufTensorInfo* copy = again->findTensor(t.name);
        require(copy && copy->type == t.type && copy->dims == t.dims && copy->bytes == t.bytes);
    }
}

volatile uint64_t g_sink;

constexpr uint64_t kMaxRewriteAlignment = 1u << 20;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);

    const GgufPrefixParse whole = parseGgufPrefix(file, size);
    require(whole.header || whole.header.error().code != ErrorCode::NeedMoreData);
    if (whole.header) {
        // A copy outlives the original and the input: views are its own.
        const GgufHeader copy = *whole.header;
        g_sink = readEverything(copy);
        // The writer pads the header and each tensor to the alignment in
        // memory: a valid 2^30 alignment made the copy gigabytes and the run
        // a timeout (gguf_regressions/align_1gib.gguf).
        if (copy.alignment() <= kMaxRewriteAlignment)
            rewrite(copy);
    }

    // The first half of the file: same verdict, or a request for more bytes
    // that the whole header does not exceed.
    const size_t half = size / 2;
    const GgufPrefixParse prefix = parseGgufPrefix(file.first(half), size);
    if (prefix.header) {
        require(whole.header.has_value());
        require(prefix.header->headerSize() == whole.header->headerSize());
        require(prefix.header->tensors().size() == whole.header->tensors().size());
    } else if (prefix.header.error().code == ErrorCode::NeedMoreData) {
        require(prefix.neededBytes > half && prefix.neededBytes <= size);
        if (whole.header)
            require(prefix.neededBytes <= whole.header->headerSize());
        // Exactly what was asked gets further.
        const GgufPrefixParse next = parseGgufPrefix(file.first(prefix.neededBytes), size);
        require(next.header || next.header.error().code != ErrorCode::NeedMoreData
                || next.neededBytes > prefix.neededBytes);
    } else {
        require(!whole.header && prefix.header.error().code == whole.header.error().code);
    }
    return 0;
}
