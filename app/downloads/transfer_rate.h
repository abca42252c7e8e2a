// A download's speed for the UI: bytes per second, smoothed so the number
// and the time left do not jump with every network hiccup. An exponential
// moving average over the samples, weighted by the time between them
// (time constant about three seconds), so sampling at any interval gives the
// same curve; a stall decays the speed towards zero instead of freezing it.
#pragma once

#include <QtGlobal>

namespace ponder::app {

class TransferRate {
public:
    explicit TransferRate(double timeConstantSeconds = 3.0) : m_timeConstant(timeConstantSeconds) {}

    // `totalBytes` received so far (monotonic) at time `msecs` (any clock).
    void sample(qint64 totalBytes, qint64 msecs);
    // Forgets the history: the next sample starts a new baseline.
    void reset();

    // Smoothed bytes per second; 0 until two samples were taken.
    double bytesPerSecond() const { return m_rate; }
    // Seconds to transfer `remainingBytes` at the current speed; -1 when unknown.
    qint64 secondsFor(qint64 remainingBytes) const;

private:
    double m_timeConstant;
    bool m_haveBaseline = false;
    bool m_haveRate = false;
    qint64 m_lastBytes = 0;
    qint64 m_lastMsecs = 0;
    double m_rate = 0;
};

} // namespace ponder::app
