#include "key_file.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

#include <filesystem>
#include <system_error>

namespace ponder::app {
namespace {

// lupdate takes a tr() call's context from its class.
struct KeyText {
    Q_DECLARE_TR_FUNCTIONS(KeyFile)
};

// A key is a line of text; anything this long is not one we wrote.
constexpr qint64 kMaxKeyBytes = 64 * 1024;

constexpr QFileDevice::Permissions kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                             QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteOther | QFileDevice::ExeOther;

QString native(const QString& path)
{
    return QDir::toNativeSeparators(path);
}

} // namespace

KeyFile KeyFile::serverApiKey()
{
    const QSettings settings;
    return KeyFile(QFileInfo(settings.fileName()).absolutePath() + QStringLiteral("/server-api-key"));
}

KeyFile KeyFile::serverLogin()
{
    const QSettings settings;
    return KeyFile(QFileInfo(settings.fileName()).absolutePath() + QStringLiteral("/server-login"));
}

KeyFile KeyFile::serveApiKey()
{
    const QSettings settings;
    return KeyFile(QFileInfo(settings.fileName()).absolutePath() + QStringLiteral("/serve-api-key"));
}

QString KeyFile::read() const
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxKeyBytes)
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

std::expected<void, QString> KeyFile::write(const QString& key) const
{
    if (key.isEmpty()) {
        if (QFile::exists(m_path) && !QFile::remove(m_path))
            return std::unexpected(KeyText::tr("could not delete the saved key in %1").arg(native(m_path)));
        return {};
    }
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder))
        return std::unexpected(KeyText::tr("could not make the folder %1").arg(native(folder)));
    const QString temporary = m_path + QStringLiteral(".new");
    QFile::remove(temporary);  // a leftover (or a planted link): unlinked, never followed
    QFile file(temporary);
    // NewOnly is O_EXCL: the file is ours, made with these permissions at creation.
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return std::unexpected(KeyText::tr("could not create %1: %2").arg(native(temporary), file.errorString()));
    const QByteArray bytes = key.toUtf8();
    const bool written = file.write(bytes) == bytes.size() && file.flush();
    const bool ownerOnly = (file.permissions() & kOthers) == 0;
    file.close();
    std::error_code error;
    if (written && ownerOnly)
        std::filesystem::rename(std::filesystem::path(temporary.toStdU16String()),
                                std::filesystem::path(m_path.toStdU16String()), error);
    if (!written || !ownerOnly || error) {
        QFile::remove(temporary);
        const QString why = !written ? file.errorString()
                            : !ownerOnly ? KeyText::tr("other accounts could read it")
                                        : QString::fromStdString(error.message());
        return std::unexpected(KeyText::tr("could not save the key in %1: %2").arg(native(m_path), why));
    }
    if ((QFile::permissions(m_path) & kOthers) != 0) {
        QFile::remove(m_path);
        return std::unexpected(KeyText::tr("could not save the key in %1: other accounts could read it")
                                   .arg(native(m_path)));
    }
    return {};
}

} // namespace ponder::app
