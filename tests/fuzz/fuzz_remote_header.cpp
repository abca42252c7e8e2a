// libFuzzer target for reading a GGUF header over HTTP, as the model picker
// does before a download (app/models/remote_gguf_header.cpp): the response
// headers it reads (Content-Range, the ETag that carries a SHA-256) and the
// fetch loop that grows the prefix until the header parses.
//
// The input's first line is a response header value; the rest is the
// remote file. The promises: a Content-Range that parses is consistent (the
// first byte before the last, both inside the total); an ETag gives a
// SHA-256 in lowercase hex or nothing; and the fetch loop (first 1 KiB, then
// at least what the parser asks for and at least double what is held) ends
// in a few rounds with the same outcome as parsing the whole file, each
// round asking for more than it holds, and a whole file never answered
// "need more data".
#include <cstddef>
#include <cstdint>
#include <span>

#include <QByteArray>
#include <QString>

#include "http_range.h"
#include "ponder/gguf.h"

using namespace ponder;
using namespace ponder::app;

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

void checkResponseHeaders(const QByteArray& value)
{
    if (const auto range = parseContentRange(value)) {
        require((range->first == -1) == (range->last == -1));
        require(range->first <= range->last);
        require(range->total == -1 || range->last < range->total);
    }
    const QString sha = sha256FromEtag(value);
    require(sha.isEmpty() || sha.size() == 64);
    for (const QChar c : sha)
        require((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'));
}

void checkFetchLoop(std::span<const std::byte> file)
{
    const GgufPrefixParse whole = parseGgufPrefix(file, file.size());
    require(whole.header || whole.header.error().code != ErrorCode::NeedMoreData);

    uint64_t held = std::min<uint64_t>(1024, file.size());
    GgufPrefixParse parsed = parseGgufPrefix(file.first(held), file.size());
    int rounds = 1;
    while (!parsed.header && parsed.header.error().code == ErrorCode::NeedMoreData) {
        require(held < file.size());
        require(parsed.neededBytes > held);
        held = std::min<uint64_t>(file.size(), std::max<uint64_t>(parsed.neededBytes, 2 * held));
        parsed = parseGgufPrefix(file.first(held), file.size());
        require(++rounds <= 64);  // doubling from 1 KiB passes any input in far fewer
    }
    require(bool(parsed.header) == bool(whole.header));
    if (whole.header) {
        require(parsed.header->headerSize() == whole.header->headerSize());
        require(parsed.header->metadata().size() == whole.header->metadata().size());
        require(parsed.header->tensors().size() == whole.header->tensors().size());
    } else {
        require(parsed.header.error().code == whole.header.error().code);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto* bytes = reinterpret_cast<const std::byte*>(data);
    size_t line = 0;
    while (line < size && line < 256 && data[line] != '\n')
        ++line;
    checkResponseHeaders(QByteArray(reinterpret_cast<const char*>(data), qsizetype(line)));
    const size_t body = line < size ? line + 1 : size;
    checkFetchLoop(std::span(bytes + body, size - body));
    return 0;
}
