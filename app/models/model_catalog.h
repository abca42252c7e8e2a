// The models Ponder offers to download: resources/catalog.json (schema in
// resources/CATALOG.md), embedded in the app. Each model carries its
// architecture config, so the picker can plan memory for every quant before
// a single byte of it is downloaded, and each quant names the Hugging Face
// files at a pinned revision.
//
// Loading validates everything it hands out: a malformed catalog is an error
// naming the JSON path of the first problem ("models[2].quants[4].revision:
// …"), never a half-filled catalog.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <expected>
#include <optional>

#include "ponder/model_info.h"
#include "ponder/model_layout.h"

namespace ponder::app {

// How well the catalog's sources back a quant's revision (CATALOG.md).
enum class RevisionCheck {
    Listed,      // a page of the repository at this revision shows the file
    Inferred,    // the file was uploaded before this revision (upload order)
    Unverified,  // revision "main": neither the file nor a revision was verified
};

struct CatalogQuant {
    QuantMix mix = QuantMix::Q4_K_M;
    QString repo;        // "bartowski/DeepSeek-R1-Distill-Qwen-7B-GGUF"
    QString revision;    // a 40-digit commit, or "main" when unverified
    QStringList files;   // paths in the repository; several for a split model, first part first
    qint64 bytes = 0;    // all files together; exact only when sizeExact
    bool sizeExact = false;
    QString sizeSource;  // "lfs", "listing", "third-party" or "estimate"
    QString sha256;      // lowercase hex of a single-file quant; empty when not known
    RevisionCheck check = RevisionCheck::Unverified;
    QString note;
    QString server = QStringLiteral("https://huggingface.co");  // the catalog's "server"

    QString name() const;  // "Q4_K_M"
    // {server}/{repo}/resolve/{revision}/{file}
    QUrl url(int file = 0) const;
    // The name a downloaded file has locally: the last path segment.
    QString localFileName(int file = 0) const;
};

// The distilled model's published scores, from DeepSeek's evaluation table
// (percent; codeforcesRating is an Elo-like rating). Absent: not published.
struct CatalogQuality {
    QString source;  // URL of the table
    std::optional<double> aime2024Pass1;
    std::optional<double> aime2024Cons64;
    std::optional<double> math500Pass1;
    std::optional<double> gpqaDiamondPass1;
    std::optional<double> liveCodeBenchPass1;
    std::optional<double> codeforcesRating;
};

// How much one llama.cpp quant type typically loses against F16, as
// llama.cpp's perplexity tool publishes it for one base model (Llama-3-8B):
// the picker's quality chart draws these until a quant is measured on the
// model itself (MeasuredQuality). Absent figures were not published.
struct TypicalQuantQuality {
    QString quant;                           // llama.cpp's type name, upper case: "Q4_K_M", "Q3_K_S", "F16"
    double meanKld = 0;                      // mean KL divergence from F16, nats; 0 for F16 itself
    std::optional<double> sameTopPercent;    // "same top p": how often both pick the same top token, percent
    std::optional<double> rmsDeltaPPercent;  // RMS of the change in the correct token's probability, percent
};

// The catalog's "typicalQuality" block (CATALOG.md): where the figures were
// read and what they were measured on.
struct CatalogTypicalQuality {
    QString source;      // the copy read, at its commit
    QString upstream;    // where it is published; may be empty
    QString baseModel;   // "Llama-3-8B": the model the figures were measured on
    QString reference;   // "F16"
    QString conditions;  // "llama.cpp f364eb6f, CUDA, …"; may be empty
    QList<TypicalQuantQuality> quants;  // in the catalog's order, each quant once

    bool isEmpty() const { return quants.isEmpty(); }
    // The figures of one quant type by name ("Q4_K_M", any case); nullptr when not published.
    const TypicalQuantQuality* find(const QString& quant) const;
};

struct CatalogModel {
    QString id;         // "qwen-7b", the shape name knownModels() uses
    QString name;       // "DeepSeek-R1-Distill-Qwen-7B"
    QString baseModel;  // "Qwen2.5-Math-7B"
    ModelConfig config;
    CatalogQuality quality;
    QList<CatalogQuant> quants;  // in the catalog's order

    const CatalogQuant* quant(QuantMix mix) const;  // nullptr when the catalog has none
};

class ModelCatalog {
public:
    static constexpr int kSchema = 1;
    // Where the build embeds resources/catalog.json.
    static QString builtInPath() { return QStringLiteral(":/ponder/catalog.json"); }

    // Parses and validates; the error names the JSON path and the problem.
    static std::expected<ModelCatalog, QString> fromJson(const QByteArray& json);
    // Reads a file (or a ":/" resource) and parses it; errors name the file.
    static std::expected<ModelCatalog, QString> load(const QString& path);
    // The embedded catalog, loaded once. tst_model_catalog loads the same
    // file, so an error here means a broken build, but it is still an error
    // the UI shows rather than a crash.
    static const std::expected<ModelCatalog, QString>& builtIn();

    const QList<CatalogModel>& models() const { return m_models; }
    // Empty when the catalog has no "typicalQuality" block.
    const CatalogTypicalQuality& typicalQuality() const { return m_typical; }
    const CatalogModel* model(const QString& id) const;
    // The model and quant whose first file has this local file name
    // (case-insensitively: uploaders differ on "f16" and "F16").
    struct Match {
        const CatalogModel* model = nullptr;
        const CatalogQuant* quant = nullptr;
    };
    Match matchFileName(const QString& fileName) const;

private:
    QList<CatalogModel> m_models;
    CatalogTypicalQuality m_typical;
};

} // namespace ponder::app
