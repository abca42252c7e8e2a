#include "ponder/compact_logits.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

#include "divergence/log_softmax.h"
#include "divergence/report_totals.h"

namespace ponder {
namespace {

static_assert(std::endian::native == std::endian::little, "the byte image is written as the machine holds it");

constexpr char kMagic[4] = {'P', 'C', 'L', 'G'};
constexpr uint32_t kVersion = 1;

// Indices of the `count` largest logits, largest first; ties go to the
// smaller id, as std::max_element picks the first of equal maxima.
std::vector<int32_t> largest(std::span<const float> logits, size_t count)
{
    std::vector<int32_t> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    count = std::min(count, order.size());
    const auto before = [&](int32_t a, int32_t b) {
        return logits[size_t(a)] > logits[size_t(b)] || (logits[size_t(a)] == logits[size_t(b)] && a < b);
    };
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(count), order.end(), before);
    order.resize(count);
    return order;
}

Error invalidImage(const std::string& why)
{
    return Error{ErrorCode::InvalidArgument, "compact logits: " + why};
}

template <typename T>
void put(std::vector<uint8_t>& out, std::span<const T> values)
{
    const size_t at = out.size();
    out.resize(at + values.size_bytes());
    if (!values.empty())
        std::memcpy(out.data() + at, values.data(), values.size_bytes());
}

template <typename T>
void putOne(std::vector<uint8_t>& out, T value)
{
    put(out, std::span<const T>(&value, 1));
}

// Reads the image front to back; every read is checked against its end.
class ImageReader {
public:
    explicit ImageReader(std::span<const uint8_t> bytes) : m_bytes(bytes) {}

    template <typename T>
    bool read(std::vector<T>& out, uint64_t count)
    {
        if (count > (m_bytes.size() - m_at) / sizeof(T))
            return false;
        out.resize(size_t(count));
        if (count)
            std::memcpy(out.data(), m_bytes.data() + m_at, size_t(count) * sizeof(T));
        m_at += size_t(count) * sizeof(T);
        return true;
    }

    template <typename T>
    bool readOne(T& out)
    {
        std::vector<T> one;
        if (!read(one, 1))
            return false;
        out = one[0];
        return true;
    }

    bool atEnd() const { return m_at == m_bytes.size(); }

private:
    std::span<const uint8_t> m_bytes;
    size_t m_at = 0;
};

} // namespace

CompactLogits::CompactLogits(size_t vocabSize, CompactLogitsOptions options)
    : m_vocabSize(vocabSize), m_options(options)
{
}

Result<void> CompactLogits::append(std::span<const float> logits, int32_t target)
{
    if (m_vocabSize == 0 || logits.size() != m_vocabSize)
        return fail(ErrorCode::InvalidArgument, "compact logits: a row of " + std::to_string(logits.size()) +
                                                    " logits for a vocabulary of " + std::to_string(m_vocabSize));
    if (target < 0 || size_t(target) >= m_vocabSize)
        return fail(ErrorCode::InvalidArgument,
                    "compact logits: token " + std::to_string(target) + " is outside the vocabulary");
    if (!std::all_of(logits.begin(), logits.end(), [](float x) { return std::isfinite(x); }))
        return fail(ErrorCode::InvalidArgument, "compact logits: the model produced a logit that is not a number");

    const double logSum = divergence::logSumExp(logits);
    const size_t most = std::clamp<size_t>(m_options.maxEntries, 1, m_vocabSize);
    const std::vector<int32_t> order = largest(logits, most);
    double covered = 0;
    size_t kept = 0;
    while (kept < order.size() && (kept < m_options.minEntries || covered < m_options.coveredMass)) {
        const double logP = double(logits[size_t(order[kept])]) - logSum;
        m_ids.push_back(order[kept]);
        m_logProbs.push_back(float(logP));
        covered += std::exp(logP);
        ++kept;
    }
    // The rest's mass summed directly rather than as 1 - covered, which
    // would cancel to nothing when almost all of it is kept.
    std::vector<uint8_t> isKept(m_vocabSize, 0);
    for (size_t i = 0; i < kept; ++i)
        isKept[size_t(order[i])] = 1;
    double rest = 0;
    for (size_t i = 0; i < m_vocabSize; ++i)
        if (!isKept[i])
            rest += std::exp(double(logits[i]) - logSum);
    m_restLogMass.push_back(rest > 0 ? std::log(rest) : -INFINITY);
    m_targetLogProbs.push_back(float(double(logits[size_t(target)]) - logSum));
    m_targets.push_back(target);
    m_offsets.push_back(uint32_t(m_ids.size()));
    return {};
}

std::span<const int32_t> CompactLogits::ids(size_t row) const
{
    return std::span<const int32_t>(m_ids).subspan(m_offsets[row], m_offsets[row + 1] - m_offsets[row]);
}

std::span<const float> CompactLogits::logProbabilities(size_t row) const
{
    return std::span<const float>(m_logProbs).subspan(m_offsets[row], m_offsets[row + 1] - m_offsets[row]);
}

double CompactLogits::restMass(size_t row) const
{
    return std::exp(m_restLogMass[row]);
}

float CompactLogits::targetLogProbability(size_t row) const
{
    return m_targetLogProbs[row];
}

size_t CompactLogits::bytes() const
{
    return m_offsets.size() * sizeof(uint32_t) + m_ids.size() * sizeof(int32_t) + m_logProbs.size() * sizeof(float) +
           m_restLogMass.size() * sizeof(double) + m_targetLogProbs.size() * sizeof(float) +
           m_targets.size() * sizeof(int32_t);
}

std::vector<uint8_t> CompactLogits::toBytes() const
{
    std::vector<uint8_t> out;
    out.reserve(bytes() + 32);
    put(out, std::span<const char>(kMagic));
    putOne(out, kVersion);
    putOne(out, uint64_t(m_vocabSize));
    putOne(out, uint64_t(rows()));
    putOne(out, uint64_t(m_ids.size()));
    put(out, std::span<const uint32_t>(m_offsets));
    put(out, std::span<const int32_t>(m_ids));
    put(out, std::span<const float>(m_logProbs));
    put(out, std::span<const double>(m_restLogMass));
    put(out, std::span<const float>(m_targetLogProbs));
    put(out, std::span<const int32_t>(m_targets));
    return out;
}

Result<CompactLogits> CompactLogits::fromBytes(std::span<const uint8_t> bytes)
{
    ImageReader reader(bytes);
    std::vector<char> magic;
    uint32_t version = 0;
    uint64_t vocab = 0, rows = 0, entries = 0;
    if (!reader.read(magic, 4) || !std::equal(magic.begin(), magic.end(), kMagic))
        return std::unexpected(invalidImage("not a compact logits image"));
    if (!reader.readOne(version) || version != kVersion)
        return std::unexpected(invalidImage("version " + std::to_string(version) + " is not one this build reads"));
    if (!reader.readOne(vocab) || !reader.readOne(rows) || !reader.readOne(entries))
        return std::unexpected(invalidImage("the image ends inside its header"));
    if (vocab == 0 || vocab > uint64_t(INT32_MAX) || entries > UINT32_MAX)
        return std::unexpected(invalidImage("a vocabulary of " + std::to_string(vocab) + " and " +
                                            std::to_string(entries) + " entries are out of range"));
    CompactLogits result{size_t(vocab)};
    if (rows == UINT64_MAX || !reader.read(result.m_offsets, rows + 1) || !reader.read(result.m_ids, entries) ||
        !reader.read(result.m_logProbs, entries) || !reader.read(result.m_restLogMass, rows) ||
        !reader.read(result.m_targetLogProbs, rows) || !reader.read(result.m_targets, rows) || !reader.atEnd())
        return std::unexpected(invalidImage("its size does not match its counts"));

    // Every offset is checked before any row is read through them: an
    // offset past the entries followed by one going back would otherwise
    // be read from before the backward step is seen.
    if (result.m_offsets.front() != 0 || result.m_offsets.back() != entries)
        return std::unexpected(invalidImage("its row offsets do not cover its entries"));
    for (size_t row = 0; row < rows; ++row) {
        const uint32_t begin = result.m_offsets[row], end = result.m_offsets[row + 1];
        if (end <= begin || end - begin > vocab)
            return std::unexpected(invalidImage("row " + std::to_string(row) + " has no entries or too many"));
    }
    std::vector<int32_t> rowIds;
    for (size_t row = 0; row < rows; ++row) {
        const uint32_t begin = result.m_offsets[row], end = result.m_offsets[row + 1];
        double mass = 0;
        for (uint32_t i = begin; i < end; ++i) {
            const float logP = result.m_logProbs[i];
            if (result.m_ids[i] < 0 || uint64_t(result.m_ids[i]) >= vocab || !std::isfinite(logP) || logP > 1e-4f ||
                (i > begin && logP > result.m_logProbs[i - 1]))
                return std::unexpected(invalidImage("row " + std::to_string(row) + " holds an invalid entry"));
            mass += std::exp(double(logP));
        }
        // An id listed twice would count its probability twice.
        rowIds.assign(result.m_ids.begin() + begin, result.m_ids.begin() + end);
        std::sort(rowIds.begin(), rowIds.end());
        if (std::adjacent_find(rowIds.begin(), rowIds.end()) != rowIds.end())
            return std::unexpected(invalidImage("row " + std::to_string(row) + " lists a token twice"));
        const double restLog = result.m_restLogMass[row];
        const double rest = std::isnan(restLog) || restLog > 1e-4 ? NAN : std::exp(restLog);
        if (std::isnan(rest) || std::abs(mass + rest - 1.0) > 1e-3)
            return std::unexpected(invalidImage("row " + std::to_string(row) + "'s probabilities do not add up to 1"));
        const int32_t target = result.m_targets[row];
        const float targetLog = result.m_targetLogProbs[row];
        if (target < 0 || uint64_t(target) >= vocab || !std::isfinite(targetLog) || targetLog > 1e-4f)
            return std::unexpected(invalidImage("row " + std::to_string(row) + " has an invalid target"));
    }
    return result;
}

std::vector<TokenProbability> topTokens(std::span<const float> logits, size_t count)
{
    std::vector<TokenProbability> top;
    if (logits.empty())
        return top;
    const double logSum = divergence::logSumExp(logits);
    for (const int32_t id : largest(logits, count))
        top.push_back({id, std::exp(double(logits[size_t(id)]) - logSum)});
    return top;
}

Result<DivergenceReport> compareWithCompact(const CompactLogits& reference, size_t firstRow,
                                            std::span<const float> candidate)
{
    const size_t vocab = reference.vocabSize();
    const size_t rows = vocab == 0 ? 0 : candidate.size() / vocab;
    if (rows == 0 || candidate.size() % vocab != 0 || firstRow > reference.rows() ||
        rows > reference.rows() - firstRow)
        return fail(ErrorCode::InvalidArgument, "compareWithCompact: " + std::to_string(candidate.size()) +
                                                    " logits from row " + std::to_string(firstRow) +
                                                    " do not match a reference of " +
                                                    std::to_string(reference.rows()) + " rows of " +
                                                    std::to_string(vocab));
    // A NaN or an infinity would turn every statistic into NaN (and NaN
    // breaks the sort behind the percentiles): a broken model is an error.
    if (!std::all_of(candidate.begin(), candidate.end(), [](float x) { return std::isfinite(x); }))
        return fail(ErrorCode::InvalidArgument, "compareWithCompact: the model produced a logit that is not a number");
    DivergenceReport report;
    std::vector<double> logQ;
    std::vector<uint8_t> isKept(vocab, 0);  // marks one row's kept ids at a time
    for (size_t r = 0; r < rows; ++r) {
        const size_t row = firstRow + r;
        const auto q = candidate.subspan(r * vocab, vocab);
        divergence::logProbabilities(q, logQ);
        const auto ids = reference.ids(row);
        const auto logP = reference.logProbabilities(row);
        double kl = 0;
        for (size_t i = 0; i < ids.size(); ++i)
            kl += std::exp(double(logP[i])) * (double(logP[i]) - logQ[size_t(ids[i])]);
        const double restP = reference.restMass(row);
        if (restP > 0) {
            // The candidate's tail summed directly: as 1 minus the kept
            // mass it cancels to rounding noise when the candidate keeps
            // nearly everything on the reference's kept tokens, and the
            // merged KL would then exceed the full one.
            for (const int32_t id : ids)
                isKept[size_t(id)] = 1;
            double restQ = 0;
            for (size_t i = 0; i < vocab; ++i)
                restQ += isKept[i] ? 0.0 : std::exp(logQ[i]);
            for (const int32_t id : ids)
                isKept[size_t(id)] = 0;
            kl += restP * (std::log(restP) - std::log(std::max(restQ, DBL_MIN)));
        }
        report.kl.push_back(std::max(0.0, kl));
        const size_t top = size_t(std::max_element(q.begin(), q.end()) - q.begin());
        report.sameTop.push_back(int32_t(top) == ids[0] ? 1 : 0);
        report.referenceLogProb.push_back(reference.targetLogProbability(row));
        report.candidateLogProb.push_back(logQ[size_t(reference.target(row))]);
    }
    divergence::completeTotals(report);
    return report;
}

} // namespace ponder
