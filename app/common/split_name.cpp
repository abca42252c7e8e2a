#include "split_name.h"

#include <QRegularExpression>

#include "ponder/gguf_parts.h"

namespace ponder::app {

QString splitPartPath(const QString& prefix, int index, int count)
{
    return QString::fromStdString(ggufSplitPath(prefix.toStdString(), uint32_t(index), uint32_t(count)).string());
}

std::optional<SplitPart> splitPartOf(const QString& path)
{
    static const QRegularExpression pattern(QStringLiteral("^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(path);
    if (!match.hasMatch())
        return std::nullopt;
    const SplitPart part{match.captured(1), match.captured(2).toInt() - 1, match.captured(3).toInt()};
    if (part.count < 1)
        return std::nullopt;
    return part;
}

QString splitModelName(const QString& path)
{
    const std::optional<SplitPart> part = splitPartOf(path);
    if (!part)
        return path;
    const qsizetype slash = part->prefix.lastIndexOf(u'/');
    return part->prefix.mid(slash + 1) + QStringLiteral(".gguf");
}

} // namespace ponder::app
