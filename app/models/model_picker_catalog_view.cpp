// ModelPickerModel: the catalog as the picker's QML reads it beside the
// cells: the grid's row headers (names, parameter counts, published scores),
// its column headers (quant names), and the files a cell's download fetches.
#include "model_picker_model.h"

#include <QUrl>
#include <QVariantMap>

namespace ponder::app {

QStringList ModelPickerModel::modelNames() const
{
    QStringList names;
    for (const auto& m : m_catalog.models())
        names << m.name;
    return names;
}

QVariantList ModelPickerModel::modelRows() const
{
    QVariantList rows;
    for (const auto& m : m_catalog.models()) {
        QStringList scores;
        const auto add = [&](const char* name, const std::optional<double>& value) {
            if (value)
                scores << QStringLiteral("%1 %2").arg(QLatin1String(name)).arg(*value, 0, 'f', 1);
        };
        add("AIME 2024", m.quality.aime2024Pass1);
        add("MATH-500", m.quality.math500Pass1);
        add("GPQA", m.quality.gpqaDiamondPass1);
        add("LiveCodeBench", m.quality.liveCodeBenchPass1);
        // The weights of any mix hold the same parameters: count them once, from F16's layout.
        const uint64_t parameters = modelInfoFromConfig(m.config, QuantMix::F16).parameterCount;
        QString shortName = m.name;
        shortName.remove(QStringLiteral("DeepSeek-R1-Distill-"));
        rows << QVariantMap{{QStringLiteral("id"), m.id},
                            {QStringLiteral("name"), m.name},
                            {QStringLiteral("shortName"), shortName},
                            {QStringLiteral("baseModel"), m.baseModel},
                            {QStringLiteral("parameters"), QStringLiteral("%1B").arg(double(parameters) / 1e9, 0, 'f', 1)},
                            {QStringLiteral("scores"), scores.join(QStringLiteral(" · "))},
                            {QStringLiteral("scoresSource"), m.quality.source}};
    }
    return rows;
}

QStringList ModelPickerModel::quantNames() const
{
    QStringList names;
    for (const QuantMix mix : quantQualityOrder())
        names << QString::fromUtf8(quantMixName(mix).data(), qsizetype(quantMixName(mix).size()));
    return names;
}

QVariantList ModelPickerModel::downloadParts(int row) const
{
    QVariantList parts;
    if (row < 0 || row >= m_cells.size() || !m_cells[row].quant)
        return parts;
    const CatalogQuant& quant = *m_cells[row].quant;
    for (int i = 0; i < quant.files.size(); ++i) {
        QVariantMap part{{QStringLiteral("url"), quant.url(i)}, {QStringLiteral("file"), quant.files[i]}};
        // The catalog knows exact sizes and hashes of single files only.
        if (quant.files.size() == 1 && quant.sizeExact)
            part[QStringLiteral("size")] = quant.bytes;
        if (quant.files.size() == 1 && !quant.sha256.isEmpty())
            part[QStringLiteral("sha256")] = quant.sha256;
        parts << part;
    }
    return parts;
}

QVariantList ModelPickerModel::downloadPartsFor(const QString& modelId, const QString& quant) const
{
    const auto mix = quantMixFromName(quant.toStdString());
    return mix ? downloadParts(rowOf(modelId, *mix)) : QVariantList{};
}

} // namespace ponder::app
