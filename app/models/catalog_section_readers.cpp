// CatalogReader's readers of the catalog's parts (resources/CATALOG.md): a
// model with its architecture config, published scores and quants, and the
// typicalQuality block. They change when the schema does; the typed field
// readers they use are in catalog_reader.cpp.
#include "catalog_reader.h"

#include "split_name.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QStringList>

#include <utility>

namespace ponder::app {

bool CatalogReader::config(const QJsonObject& o, const QString& path, ModelConfig& c)
{
    QString architecture;
    if (!string(o, path, "architecture", architecture))
        return false;
    if (architecture == QLatin1String("llama"))
        c.architecture = Architecture::Llama;
    else if (architecture == QLatin1String("qwen2"))
        c.architecture = Architecture::Qwen2;
    else
        return fail(path + QStringLiteral(".architecture"),
                    QStringLiteral("unknown architecture \"%1\" (llama or qwen2)").arg(architecture));
    // qwen2 rotates NEOX pairs; llama GGUFs adjacent pairs (FORMATS.md).
    c.ropeLayout = c.architecture == Architecture::Qwen2 ? RopeLayout::Neox : RopeLayout::AdjacentPairs;

    if (!u32(o, path, "embeddingLength", c.embeddingLength) || !u32(o, path, "blockCount", c.blockCount) ||
        !u32(o, path, "feedForwardLength", c.feedForwardLength) || !u32(o, path, "headCount", c.headCount) ||
        !u32(o, path, "headCountKv", c.headCountKv) || !u32(o, path, "headDim", c.headDim) ||
        !u32(o, path, "ropeDimensions", c.ropeDimensions) || !u32(o, path, "vocabSize", c.vocabSize) ||
        !u32(o, path, "contextLength", c.contextLength) || !positive(o, path, "ropeFreqBase", c.ropeFreqBase) ||
        !positive(o, path, "rmsEpsilon", c.rmsEpsilon) || !boolean(o, path, "qkvBias", c.hasQkvBias) ||
        !boolean(o, path, "tiedOutput", c.tiedOutput))
        return false;
    if (c.headCount % c.headCountKv != 0)
        return fail(path + QStringLiteral(".headCountKv"), QStringLiteral("must divide headCount"));
    if (c.ropeDimensions > c.headDim || c.ropeDimensions % 2 != 0)
        return fail(path + QStringLiteral(".ropeDimensions"), QStringLiteral("must be even and at most headDim"));

    const QJsonValue scaling = o.value(QLatin1String("ropeScaling"));
    c.hasRopeFreqs = false;
    if (scaling.isNull() || scaling.isUndefined())
        return true;
    QJsonObject s;
    QString type;
    if (!object(scaling, path + QStringLiteral(".ropeScaling"), s) ||
        !string(s, path + QStringLiteral(".ropeScaling"), "type", type))
        return false;
    if (type != QLatin1String("llama3"))
        return fail(path + QStringLiteral(".ropeScaling.type"),
                    QStringLiteral("unknown RoPE scaling \"%1\" (llama3)").arg(type));
    // Llama 3 scaling reaches the engine as the GGUF's rope_freqs tensor.
    c.hasRopeFreqs = true;
    return true;
}

bool CatalogReader::quality(const QJsonObject& o, const QString& path, CatalogQuality& q)
{
    if (!string(o, path, "source", q.source))
        return false;
    const std::pair<const char*, std::optional<double>*> scores[] = {
        {"aime2024Pass1", &q.aime2024Pass1},         {"aime2024Cons64", &q.aime2024Cons64},
        {"math500Pass1", &q.math500Pass1},           {"gpqaDiamondPass1", &q.gpqaDiamondPass1},
        {"liveCodeBenchPass1", &q.liveCodeBenchPass1}, {"codeforcesRating", &q.codeforcesRating},
    };
    for (const auto& [key, out] : scores) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            continue;
        if (!v.isDouble() || v.toDouble() < 0)
            return fail(path + u'.' + QLatin1String(key), QStringLiteral("expected a number of at least 0"));
        *out = v.toDouble();
    }
    return true;
}

bool CatalogReader::typicalQuality(const QJsonObject& o, const QString& path, CatalogTypicalQuality& t)
{
    // llama.cpp's names of the types its scoreboard lists (K-quants and the
    // legacy ones), spelled as the catalog spells quants.
    static const QStringList known{
        QStringLiteral("F16"),    QStringLiteral("Q8_0"),   QStringLiteral("Q6_K"),   QStringLiteral("Q5_K_M"),
        QStringLiteral("Q5_K_S"), QStringLiteral("Q5_1"),   QStringLiteral("Q5_0"),   QStringLiteral("Q4_K_M"),
        QStringLiteral("Q4_K_S"), QStringLiteral("Q4_1"),   QStringLiteral("Q4_0"),   QStringLiteral("Q3_K_L"),
        QStringLiteral("Q3_K_M"), QStringLiteral("Q3_K_S"), QStringLiteral("Q2_K"),   QStringLiteral("Q2_K_S"),
    };
    if (!url(o, path, "source", t.source) || !url(o, path, "upstream", t.upstream, false) ||
        !string(o, path, "baseModel", t.baseModel) || !string(o, path, "reference", t.reference) ||
        !string(o, path, "conditions", t.conditions, false))
        return false;
    // The name goes into the chart's legend: a model name, not a paragraph.
    if (t.baseModel.size() > 40 || t.baseModel.contains(u'\n'))
        return fail(path + QStringLiteral(".baseModel"), QStringLiteral("expected a model name of at most 40 characters"));
    if (t.reference != QLatin1String("F16"))
        return fail(path + QStringLiteral(".reference"), QStringLiteral("expected \"F16\" (the figures are divergences from F16)"));

    const QJsonValue quants = o.value(QLatin1String("quants"));
    if (!quants.isArray() || quants.toArray().isEmpty())
        return fail(path + QStringLiteral(".quants"), QStringLiteral("expected a non-empty array"));
    const QJsonArray list = quants.toArray();
    for (int i = 0; i < list.size(); ++i) {
        const QString quantPath = path + QStringLiteral(".quants[%1]").arg(i);
        QJsonObject q;
        TypicalQuantQuality quality;
        std::optional<double> meanKld;
        if (!object(list[i], quantPath, q) || !string(q, quantPath, "quant", quality.quant))
            return false;
        if (!known.contains(quality.quant))
            return fail(quantPath + QStringLiteral(".quant"),
                        QStringLiteral("unknown quantization \"%1\" (%2)").arg(quality.quant, known.join(QStringLiteral(", "))));
        if (t.find(quality.quant))
            return fail(quantPath + QStringLiteral(".quant"), QStringLiteral("%1 is listed twice").arg(quality.quant));
        // A mean KLD above 100 nats is no quantization llama.cpp publishes.
        if (!number(q, quantPath, "meanKld", 0, 100, meanKld, true) ||
            !number(q, quantPath, "sameTopPercent", 0, 100, quality.sameTopPercent, false) ||
            !number(q, quantPath, "rmsDeltaPPercent", 0, 100, quality.rmsDeltaPPercent, false))
            return false;
        quality.meanKld = *meanKld;
        // F16 is the reference: it differs from itself by nothing, and only it does.
        if ((quality.quant == QLatin1String("F16")) != (quality.meanKld == 0))
            return fail(quantPath + QStringLiteral(".meanKld"),
                        quality.meanKld == 0 ? QStringLiteral("only F16, the reference, has a divergence of 0")
                                             : QStringLiteral("F16 is the reference: its divergence is 0"));
        t.quants << quality;
    }
    return true;
}

bool CatalogReader::quant(const QJsonObject& o, const QString& path, CatalogQuant& q)
{
    static const QRegularExpression repoPattern(QStringLiteral("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"));
    static const QRegularExpression commitPattern(QStringLiteral("^[0-9a-f]{40}$"));
    static const QRegularExpression shaPattern(QStringLiteral("^[0-9a-f]{64}$"));

    QString name, check;
    if (!string(o, path, "quant", name))
        return false;
    const auto mix = quantMixFromName(name.toStdString());
    if (!mix)
        return fail(path + QStringLiteral(".quant"), QStringLiteral("unknown quantization \"%1\"").arg(name));
    q.mix = *mix;

    if (!string(o, path, "repo", q.repo) || !string(o, path, "revision", q.revision) ||
        !string(o, path, "sizeSource", q.sizeSource) || !string(o, path, "check", check) ||
        !string(o, path, "sha256", q.sha256, false) || !string(o, path, "note", q.note, false) ||
        !integer(o, path, "bytes", 1, qint64(1) << 50, q.bytes) || !boolean(o, path, "sizeExact", q.sizeExact))
        return false;
    if (!repoPattern.match(q.repo).hasMatch())
        return fail(path + QStringLiteral(".repo"), QStringLiteral("expected \"owner/name\""));
    if (q.revision != QLatin1String("main") && !commitPattern.match(q.revision).hasMatch())
        return fail(path + QStringLiteral(".revision"),
                    QStringLiteral("expected a 40-digit lowercase commit hash or \"main\""));
    if (!q.sha256.isEmpty() && !shaPattern.match(q.sha256).hasMatch())
        return fail(path + QStringLiteral(".sha256"), QStringLiteral("expected 64 lowercase hex digits"));

    if (check == QLatin1String("listed"))
        q.check = RevisionCheck::Listed;
    else if (check == QLatin1String("inferred"))
        q.check = RevisionCheck::Inferred;
    else if (check == QLatin1String("unverified"))
        q.check = RevisionCheck::Unverified;
    else
        return fail(path + QStringLiteral(".check"), QStringLiteral("expected listed, inferred or unverified"));
    if ((q.revision == QLatin1String("main")) != (q.check == RevisionCheck::Unverified))
        return fail(path + QStringLiteral(".check"), QStringLiteral("\"unverified\" goes with revision \"main\", "
                                                                    "and only with it"));

    const QJsonArray files = o.value(QLatin1String("files")).toArray();
    if (files.isEmpty())
        return fail(path + QStringLiteral(".files"), QStringLiteral("expected a non-empty array of file names"));
    for (int i = 0; i < files.size(); ++i) {
        const QString file = files[i].toString();
        const QString filePath = path + QStringLiteral(".files[%1]").arg(i);
        if (!file.endsWith(QLatin1String(".gguf")) || file.startsWith(u'/') || file.contains(QLatin1String("..")) ||
            file.contains(u'\\'))
            return fail(filePath, QStringLiteral("expected a relative path ending in .gguf"));
        if (files.size() > 1) {
            // Parts come in gguf-split's order: -00001-of-0000N first.
            const std::optional<SplitPart> part = splitPartOf(file);
            if (!part || part->index != i || part->count != files.size())
                return fail(filePath, QStringLiteral("expected part %1 of %2 (\"%3\")")
                                          .arg(i + 1)
                                          .arg(files.size())
                                          .arg(splitPartPath(QStringLiteral("…"), i, int(files.size()))));
        }
        q.files << file;
    }
    return true;
}

bool CatalogReader::model(const QJsonObject& o, const QString& path, CatalogModel& m)
{
    QJsonObject config;
    if (!string(o, path, "id", m.id) || !string(o, path, "name", m.name) ||
        !string(o, path, "baseModel", m.baseModel, false) ||
        !object(o.value(QLatin1String("config")), path + QStringLiteral(".config"), config) ||
        !this->config(config, path + QStringLiteral(".config"), m.config))
        return false;

    const QJsonValue quality = o.value(QLatin1String("quality"));
    if (!quality.isUndefined()) {
        QJsonObject q;
        if (!object(quality, path + QStringLiteral(".quality"), q) ||
            !this->quality(q, path + QStringLiteral(".quality"), m.quality))
            return false;
    }

    const QJsonArray quants = o.value(QLatin1String("quants")).toArray();
    if (quants.isEmpty())
        return fail(path + QStringLiteral(".quants"), QStringLiteral("expected a non-empty array"));
    for (int i = 0; i < quants.size(); ++i) {
        const QString quantPath = path + QStringLiteral(".quants[%1]").arg(i);
        QJsonObject q;
        CatalogQuant quant;
        if (!object(quants[i], quantPath, q) || !this->quant(q, quantPath, quant))
            return false;
        if (m.quant(quant.mix))
            return fail(quantPath + QStringLiteral(".quant"), QStringLiteral("%1 is listed twice").arg(quant.name()));
        m.quants << quant;
    }
    return true;
}

} // namespace ponder::app
