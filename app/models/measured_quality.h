// How much a quant loses against its model's reference, measured on this
// machine by the compare page: the picker's chart draws these points as
// "measured on this machine" in place of the typical figures. The compare
// feature (which comes after models/ and may use it) fills it, from its
// store at start and after each comparison; the picker reads it.
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace ponder::app {

struct QuantQuality {
    QString modelId;   // the catalog's model id ("qwen-7b")
    QString quant;     // the catalog's quant name ("Q4_K_M")
    QString referenceQuant;  // what it was measured against ("F16", "Q8_0")
    double meanKld = 0;      // nats
    double kld99 = 0;
    double sameTopPercent = 0;
    int positions = 0;       // tokens the figures come from
    QDateTime measuredAt;
};

class MeasuredQuality : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    const QList<QuantQuality>& all() const { return m_all; }
    // The newest measurement of one quant of one model, or nullptr.
    const QuantQuality* find(const QString& modelId, const QString& quant) const;

    void setAll(QList<QuantQuality> qualities);

signals:
    void changed();

private:
    QList<QuantQuality> m_all;
};

} // namespace ponder::app
