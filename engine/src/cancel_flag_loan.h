// Lends a caller's cancel flag to a backend for the length of a scope, so a
// long evaluation (a prompt, a teacher-forced answer) stops within a batch
// or a layer instead of at the next token; the backend forgets it after.
#pragma once

#include <atomic>

#include "ponder/backend.h"

namespace ponder {

class CancelFlagLoan {
public:
    CancelFlagLoan(InferenceBackend& backend, const std::atomic<bool>* cancel) : m_backend(backend)
    {
        m_backend.setCancelFlag(cancel);
    }
    ~CancelFlagLoan() { m_backend.setCancelFlag(nullptr); }
    CancelFlagLoan(const CancelFlagLoan&) = delete;
    CancelFlagLoan& operator=(const CancelFlagLoan&) = delete;

private:
    InferenceBackend& m_backend;
};

} // namespace ponder
