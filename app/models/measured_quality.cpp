#include "measured_quality.h"

namespace ponder::app {

const QuantQuality* MeasuredQuality::find(const QString& modelId, const QString& quant) const
{
    const QuantQuality* newest = nullptr;
    for (const QuantQuality& quality : m_all)
        if (quality.modelId == modelId && quality.quant == quant &&
            (!newest || quality.measuredAt > newest->measuredAt))
            newest = &quality;
    return newest;
}

void MeasuredQuality::setAll(QList<QuantQuality> qualities)
{
    m_all = std::move(qualities);
    emit changed();
}

} // namespace ponder::app
