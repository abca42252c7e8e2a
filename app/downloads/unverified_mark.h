// The mark beside a downloaded model that nothing could verify: no SHA-256
// from the catalog, none from the server (X-Linked-Etag), and no repository
// listing that names it (hf_listing.h). DownloadTask::accept() writes
// <file>.unverified, a small JSON object
//
//   { "version": 1, "reason": "the repository's file list could not be
//     fetched: …", "url": "https://…", "sha256": "<what the file hashed to>",
//     "size": 4683073248 }
//
// and removes it when a verified download replaces the file. LocalModels
// reads it to tell the picker which models are unverified and why.
//
// Header-only: ponder_models reads the mark without linking ponder_downloads
// (models/ comes after downloads/ but does not link it). The file is in the
// models folder, which anyone with the user's rights can write, so read()
// takes at most kMaxBytes and returns the reason as one line of plain text.
#pragma once

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QString>

#include <optional>

namespace ponder::app {

struct UnverifiedMark {
    Q_DECLARE_TR_FUNCTIONS(UnverifiedMark)

public:  // the macro ends in private:
    static constexpr int kVersion = 1;
    static constexpr qint64 kMaxBytes = 16 * 1024;
    static constexpr qsizetype kMaxReasonChars = 300;

    QString reason;     // why it could not be verified, in words for the user
    QString url;        // where it was downloaded from
    QString sha256;     // what the file hashed to, lowercase hex
    qint64 size = -1;   // bytes

    static QString pathFor(const QString& modelFile) { return modelFile + QStringLiteral(".unverified"); }

    // Atomically (QSaveFile, which replaces a link rather than following it).
    bool write(const QString& modelFile, QString* error = nullptr) const
    {
        QSaveFile file(pathFor(modelFile));
        const QJsonObject json{{QStringLiteral("version"), kVersion},
                               {QStringLiteral("reason"), reason},
                               {QStringLiteral("url"), url},
                               {QStringLiteral("sha256"), sha256},
                               {QStringLiteral("size"), size}};
        if (file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) >= 0 && file.commit())
            return true;
        if (error)
            *error = tr("could not write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }

    static bool remove(const QString& modelFile)
    {
        const QFileInfo mark(pathFor(modelFile));
        if (!mark.exists() && !mark.isSymLink())  // exists() follows a link; a dangling one is removed too
            return true;
        return QFile::remove(mark.filePath());
    }

    // One line of plain text, at most kMaxReasonChars: control and format
    // characters (newlines, bidirectional overrides) become spaces.
    static QString plainLine(const QString& text)
    {
        QString line = text.left(kMaxReasonChars + 1);
        for (QChar& c : line)
            if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
                c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph)
                c = QLatin1Char(' ');
        line = line.simplified();
        if (line.size() > kMaxReasonChars)
            line = line.left(kMaxReasonChars - 1) + QChar(0x2026);
        return line;
    }

    // The mark beside `modelFile`; nullopt when there is none. A mark that
    // cannot be read (too large, not JSON, a link, a folder) still marks the
    // file, with a reason saying so: its presence is what counts.
    static std::optional<UnverifiedMark> read(const QString& modelFile)
    {
        const QFileInfo info(pathFor(modelFile));
        if (!info.exists() && !info.isSymLink())
            return std::nullopt;
        UnverifiedMark mark;
        mark.reason = tr("it was downloaded without a checksum to verify it against");
        if (info.isSymLink() || !info.isFile() || info.size() > kMaxBytes)
            return mark;
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly))
            return mark;
        const QJsonObject json = QJsonDocument::fromJson(file.read(kMaxBytes)).object();
        if (const QString reason = plainLine(json.value(QLatin1String("reason")).toString()); !reason.isEmpty())
            mark.reason = reason;
        mark.url = json.value(QLatin1String("url")).toString().left(4096);
        mark.sha256 = json.value(QLatin1String("sha256")).toString().left(64);
        mark.size = json.value(QLatin1String("size")).toInteger(-1);
        return mark;
    }
};

} // namespace ponder::app
