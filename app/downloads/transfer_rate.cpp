#include "transfer_rate.h"

#include <cmath>

namespace ponder::app {

void TransferRate::sample(qint64 totalBytes, qint64 msecs)
{
    if (!m_haveBaseline || totalBytes < m_lastBytes) {
        m_haveBaseline = true;
        m_lastBytes = totalBytes;
        m_lastMsecs = msecs;
        return;
    }
    const qint64 elapsed = msecs - m_lastMsecs;
    if (elapsed <= 0)
        return;
    const double instant = double(totalBytes - m_lastBytes) * 1000.0 / double(elapsed);
    if (!m_haveRate) {
        m_rate = instant;
        m_haveRate = true;
    } else {
        const double weight = 1.0 - std::exp(-double(elapsed) / 1000.0 / m_timeConstant);
        m_rate += weight * (instant - m_rate);
    }
    m_lastBytes = totalBytes;
    m_lastMsecs = msecs;
}

void TransferRate::reset()
{
    m_haveBaseline = false;
    m_haveRate = false;
    m_rate = 0;
}

qint64 TransferRate::secondsFor(qint64 remainingBytes) const
{
    if (remainingBytes == 0)
        return 0;
    if (remainingBytes < 0 || m_rate < 1.0)
        return -1;
    return qint64(std::ceil(double(remainingBytes) / m_rate));
}

} // namespace ponder::app
