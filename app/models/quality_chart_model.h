// One model's quality chart in the picker: each of its quants as a point of
// memory at the chosen context on the chosen device (x, GiB, the figure the
// picker's cell counts against free memory) against mean KL divergence from
// F16 (y, log scale; F16 itself at the floor), the chosen device's free
// memory as a vertical line, and the picker's recommended quant. Points are
// typical (the catalog's llama.cpp figures for the quant type) until the
// compare page measures the quant on this model (MeasuredQuality).
#pragma once

#include "quality_point.h"

namespace ponder::app {

class QualityChartModel : public QualityPointList {
    Q_OBJECT
    QML_ELEMENT

    /// The catalog id of the model charted ("qwen-7b").
    Q_PROPERTY(QString modelId READ modelId WRITE setModelId NOTIFY modelIdChanged)
    /// Its short name ("Qwen-7B"); empty for an id the catalog lacks.
    Q_PROPERTY(QString modelName READ modelName NOTIFY pointsChanged)
    /// The quant the picker recommends for it (★); empty when none loads.
    Q_PROPERTY(QString recommendedQuant READ recommendedQuant NOTIFY pointsChanged)
    /// The memory axis runs from 0 to this, GiB: the largest point with room, and the free-memory line when near.
    Q_PROPERTY(double memoryAxisMax READ memoryAxisMax NOTIFY pointsChanged)
    /// True when the free-memory line lies on the memory axis (a device with far more free memory than
    /// the model needs would squash the points; its line is left out and freeMemoryText says it).
    Q_PROPERTY(bool freeLineVisible READ freeLineVisible NOTIFY pointsChanged)
    /// How many points are measured on this machine (drawn filled).
    Q_PROPERTY(int measuredCount READ measuredCount NOTIFY pointsChanged)

public:
    using QualityPointList::QualityPointList;

    QString modelId() const { return m_modelId; }
    void setModelId(const QString& id);
    QString modelName() const;
    QString recommendedQuant() const;
    double memoryAxisMax() const;
    bool freeLineVisible() const;
    int measuredCount() const;

signals:
    void modelIdChanged();

protected:
    QList<QualityPoint> build(const ModelPickerModel& picker) const override;

private:
    QString m_modelId;
};

} // namespace ponder::app
