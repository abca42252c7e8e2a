#include "token_text.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ponder::app {

QString visibleToken(const QString& text)
{
    if (text.isEmpty())
        return QStringLiteral("∅");
    bool onlySpaces = true;
    for (QChar c : text)
        onlySpaces = onlySpaces && c == u' ';
    if (onlySpaces)
        return QString(text.size(), QChar(0x2423));  // ␣
    QString shown;
    shown.reserve(text.size());
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n')
            shown += QChar(0x21B5);  // ↵
        else if (u == u'\t')
            shown += QChar(0x21E5);  // ⇥
        else if (u < 0x20)
            shown += QChar(char16_t(0x2400 + u));  // the control pictures: ␀ ␁ … ␍ …
        else if (u == 0x7F)
            shown += QChar(0x2421);  // ␡
        else if ((u >= 0x80 && u <= 0x9F) || (u >= 0x200B && u <= 0x200F) || (u >= 0x202A && u <= 0x202E) ||
                 (u >= 0x2066 && u <= 0x2069) || u == 0xFEFF || u == 0x061C)
            shown += QStringLiteral("\\u") + QString::number(int(u), 16).rightJustified(4, u'0').toUpper();
        else
            shown += c;
    }
    return shown;
}

namespace {

double heatPosition(double kl)
{
    return std::clamp((std::log10(kl) - std::log10(kHeatFloor)) / (std::log10(kHeatCeiling) - std::log10(kHeatFloor)),
                      0.0, 1.0);
}

} // namespace

QColor heatColor(double kl)
{
    if (!(kl >= kHeatFloor))  // NaN too
        return QColor(Qt::transparent);
    static const std::array<QColor, 4> stops = {QColor(0xfe, 0xf3, 0xc7), QColor(0xfa, 0xcc, 0x15),
                                                QColor(0xf9, 0x73, 0x16), QColor(0xb9, 0x1c, 0x1c)};
    const double t = heatPosition(kl) * double(stops.size() - 1);
    const size_t i = std::min(size_t(t), stops.size() - 2);
    const double f = t - double(i);
    auto mix = [f](int a, int b) { return int(std::lround(a + (b - a) * f)); };
    return QColor(mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
                  mix(stops[i].blue(), stops[i + 1].blue()));
}

QColor heatTextColor(double kl)
{
    if (!(kl >= kHeatFloor))
        return QColor();
    return heatPosition(kl) > 0.72 ? QColor(Qt::white) : QColor(0x11, 0x18, 0x27);
}

} // namespace ponder::app
