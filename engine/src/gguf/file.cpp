// GgufFile: a read-only POSIX mapping of a whole file, parsed and validated.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "gguf/format.h"
#include "ponder/gguf.h"

namespace ponder {
namespace {

std::unexpected<Error> osError(const std::filesystem::path& path, std::string_view action, int error)
{
    const ErrorCode code = error == ENOENT ? ErrorCode::NotFound : ErrorCode::Io;
    return fail(code, gguf::quotedPath(path) + ": " + std::string(action) + " failed: " + std::strerror(error));
}

// Closes a descriptor when the scope ends; the mapping outlives it.
struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
};

uint64_t pageSize()
{
    static const uint64_t size = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

} // namespace

Result<GgufFile> GgufFile::open(const std::filesystem::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return osError(path, "opening", errno);
    const FdCloser closer{fd};

    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return osError(path, "reading the size", errno);
    if (!S_ISREG(info.st_mode))
        return fail(ErrorCode::Io, gguf::quotedPath(path) + " is not a regular file");

    GgufFile file;
    file.m_path = path;
    file.m_size = static_cast<uint64_t>(info.st_size);
    // mmap refuses a zero length; an empty file is parsed from an empty span.
    if (file.m_size > 0) {
        void* map = ::mmap(nullptr, file.m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
            return osError(path, "mapping", errno);
        file.m_data = static_cast<const std::byte*>(map);
    }

    auto header = parseGgufHeader(file.bytes(), file.m_size);
    if (!header)
        return fail(header.error().code, gguf::quotedPath(path) + ": " + header.error().message);
    file.m_header = std::move(*header);
    return file;
}

GgufFile::GgufFile(GgufFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_header(std::move(other.m_header))
{
}

GgufFile& GgufFile::operator=(GgufFile&& other) noexcept
{
    if (this != &other) {
        unmap();
        m_path = std::move(other.m_path);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_header = std::move(other.m_header);
    }
    return *this;
}

GgufFile::~GgufFile()
{
    unmap();
}

void GgufFile::unmap()
{
    if (m_data)
        ::munmap(const_cast<std::byte*>(m_data), m_size);
    m_data = nullptr;
    m_size = 0;
}

std::span<const std::byte> GgufFile::bytes() const
{
    return {m_data, static_cast<size_t>(m_size)};
}

std::span<const std::byte> GgufFile::tensorData(const GgufTensorInfo& tensor) const
{
    const uint64_t start = m_header.dataOffset() + tensor.offset;
    if (start < tensor.offset || start > m_size || tensor.bytes > m_size - start)
        return {};
    return {m_data + start, static_cast<size_t>(tensor.bytes)};
}

void GgufFile::prefetch(const GgufTensorInfo& tensor) const
{
    const auto data = tensorData(tensor);
    if (data.empty())
        return;
    // madvise wants a page-aligned start; the mapping itself starts on one.
    const uint64_t start = static_cast<uint64_t>(data.data() - m_data) / pageSize() * pageSize();
    const uint64_t end = static_cast<uint64_t>(data.data() - m_data) + data.size();
    ::madvise(const_cast<std::byte*>(m_data) + start, end - start, MADV_WILLNEED);
}

void GgufFile::release(const GgufTensorInfo& tensor) const
{
    const auto data = tensorData(tensor);
    if (data.empty())
        return;
    // Only whole pages inside the tensor, so neighbours keep theirs (dropping
    // them would be harmless for a read-only file mapping, only slower).
    const uint64_t offset = static_cast<uint64_t>(data.data() - m_data);
    const uint64_t start = (offset + pageSize() - 1) / pageSize() * pageSize();
    const uint64_t end = (offset + data.size()) / pageSize() * pageSize();
    if (end > start)
        ::madvise(const_cast<std::byte*>(m_data) + start, end - start, MADV_DONTNEED);
}

} // namespace ponder
