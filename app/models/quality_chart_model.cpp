#include "quality_chart_model.h"

#include "model_picker_model.h"

#include <algorithm>
#include <cmath>

namespace ponder::app {

void QualityChartModel::setModelId(const QString& id)
{
    if (id == m_modelId)
        return;
    m_modelId = id;
    rebuild();
    emit modelIdChanged();
}

QList<QualityPoint> QualityChartModel::build(const ModelPickerModel& picker) const
{
    // An empty id would chart every model: this chart is one model's.
    return m_modelId.isEmpty() ? QList<QualityPoint>{} : qualityPoints(picker, m_modelId);
}

QString QualityChartModel::modelName() const
{
    const CatalogModel* model = picker() ? picker()->catalog().model(m_modelId) : nullptr;
    return model ? QString(model->name).remove(QStringLiteral("DeepSeek-R1-Distill-")) : QString();
}

QString QualityChartModel::recommendedQuant() const
{
    for (const QualityPoint& p : points())
        if (p.recommended)
            return p.quant;
    return {};
}

double QualityChartModel::memoryAxisMax() const
{
    double largest = 0;
    for (const QualityPoint& p : points())
        largest = std::max(largest, p.memoryGiB);
    double top = largest * 1.15;
    if (freeMemoryGiB() > 0 && freeMemoryGiB() <= largest * 2)
        top = std::max(top, freeMemoryGiB() * 1.08);
    // Whole GiB: the axis' ticks land on round figures.
    return std::max(1.0, std::ceil(top));
}

bool QualityChartModel::freeLineVisible() const
{
    return freeMemoryGiB() > 0 && freeMemoryGiB() < memoryAxisMax();
}

int QualityChartModel::measuredCount() const
{
    return int(std::count_if(points().begin(), points().end(), [](const QualityPoint& p) { return p.measured; }));
}

} // namespace ponder::app
