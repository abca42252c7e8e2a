// The BPE merge step: a piece starts as one token per byte, then the adjacent
// pair with the best (lowest) merge rank is merged, leftmost first among
// equal ranks, until no adjacent pair has a rank. A min-heap of candidate
// pairs over a doubly linked list of symbols makes this O(n log n) in the
// piece's length, so a 30 KB run of CJK (one pre-token) is still quick.
#pragma once

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace ponder {

class BpeMerges {
public:
    // `rank` is the merge's line in tokenizer.ggml.merges; a later line for
    // the same pair replaces the earlier one, as Hugging Face's map does.
    void add(int32_t left, int32_t right, int32_t merged, int32_t rank);
    void reserve(size_t count) { m_rules.reserve(count); }
    size_t size() const { return m_rules.size(); }

    // Reused between pieces so that merging allocates nothing once warm.
    struct Scratch {
        struct Symbol {
            int32_t token;
            int32_t prev;  // index, -1 at the start
            int32_t next;  // index, -1 at the end
        };
        struct Candidate {
            int32_t rank;
            int32_t left;   // symbol index; also breaks ties: leftmost first
            int32_t leftToken;   // the pair as it was when pushed; a
            int32_t rightToken;  // merge since then makes it stale
            int32_t merged;
        };
        std::vector<Symbol> symbols;
        std::vector<Candidate> heap;
    };

    // Merges `tokens` (one per byte of the piece; -1 for a byte the
    // vocabulary lacks, which never merges and is dropped) and appends the
    // result to `out`.
    void merge(std::span<const int32_t> tokens, std::vector<int32_t>& out, Scratch& scratch) const;

private:
    struct Rule {
        int32_t rank;
        int32_t merged;
    };
    static uint64_t key(int32_t left, int32_t right) { return (uint64_t(uint32_t(left)) << 32) | uint32_t(right); }
    const Rule* find(int32_t left, int32_t right) const;
    void pushCandidate(Scratch& scratch, int32_t left) const;

    std::unordered_map<uint64_t, Rule> m_rules;
};

} // namespace ponder
