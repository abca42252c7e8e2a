#include "tokenizer/bpe.h"

#include <algorithm>

namespace ponder {

namespace {

constexpr int32_t kMergedAway = -2;  // a symbol absorbed by its left neighbour

// std::push_heap builds a max-heap; "greater" turns it into a min-heap on
// (rank, left position).
bool worse(const BpeMerges::Scratch::Candidate& a, const BpeMerges::Scratch::Candidate& b)
{
    return a.rank != b.rank ? a.rank > b.rank : a.left > b.left;
}

} // namespace

void BpeMerges::add(int32_t left, int32_t right, int32_t merged, int32_t rank)
{
    m_rules.insert_or_assign(key(left, right), Rule{rank, merged});
}

const BpeMerges::Rule* BpeMerges::find(int32_t left, int32_t right) const
{
    const auto it = m_rules.find(key(left, right));
    return it == m_rules.end() ? nullptr : &it->second;
}

void BpeMerges::pushCandidate(Scratch& scratch, int32_t left) const
{
    const auto& symbol = scratch.symbols[size_t(left)];
    if (symbol.next < 0 || symbol.token < 0)
        return;
    const int32_t rightToken = scratch.symbols[size_t(symbol.next)].token;
    if (rightToken < 0)
        return;
    const Rule* rule = find(symbol.token, rightToken);
    if (!rule)
        return;
    scratch.heap.push_back({rule->rank, left, symbol.token, rightToken, rule->merged});
    std::push_heap(scratch.heap.begin(), scratch.heap.end(), worse);
}

void BpeMerges::merge(std::span<const int32_t> tokens, std::vector<int32_t>& out, Scratch& scratch) const
{
    const auto count = int32_t(tokens.size());
    if (count <= 1) {
        if (count == 1 && tokens[0] >= 0)
            out.push_back(tokens[0]);
        return;
    }
    auto& symbols = scratch.symbols;
    auto& heap = scratch.heap;
    symbols.resize(size_t(count));
    for (int32_t i = 0; i < count; ++i)
        symbols[size_t(i)] = {tokens[size_t(i)], i - 1, i + 1 < count ? i + 1 : -1};
    heap.clear();
    for (int32_t i = 0; i + 1 < count; ++i)
        pushCandidate(scratch, i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), worse);
        const Scratch::Candidate best = heap.back();
        heap.pop_back();
        auto& left = symbols[size_t(best.left)];
        if (left.token != best.leftToken || left.next < 0)
            continue;
        auto& right = symbols[size_t(left.next)];
        if (right.token != best.rightToken)
            continue;
        // The right symbol joins the left one; the left keeps its position,
        // so the first symbol always survives and starts the list.
        left.token = best.merged;
        left.next = right.next;
        if (right.next >= 0)
            symbols[size_t(right.next)].prev = best.left;
        right.token = kMergedAway;
        if (left.prev >= 0)
            pushCandidate(scratch, left.prev);
        pushCandidate(scratch, best.left);
    }
    for (int32_t i = 0; i >= 0; i = symbols[size_t(i)].next) {
        if (symbols[size_t(i)].token >= 0)
            out.push_back(symbols[size_t(i)].token);
    }
}

} // namespace ponder
