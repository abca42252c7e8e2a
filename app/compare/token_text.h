// Tokens as the heat map and its hover show them. A token's text comes from
// a model, so it is outside text: shown as plain text, with what would
// vanish or mislead made visible (a newline as ↵, a tab as ⇥, other control
// characters as their control pictures or \uXXXX, bidirectional and
// zero-width marks as \uXXXX, a token of spaces only as ␣).
#pragma once

#include <QColor>
#include <QString>

namespace ponder::app {

QString visibleToken(const QString& text);

// The heat map's colour for a KL divergence (nats), on a log scale from
// kHeatFloor (no tint) to kHeatCeiling (the darkest red): pale yellow,
// yellow, orange, red. Transparent below the floor.
constexpr double kHeatFloor = 1e-4;
constexpr double kHeatCeiling = 10.0;
QColor heatColor(double kl);
// Text that reads on heatColor(kl): dark on the light tints, white on the dark ones;
// invalid (the theme's text) where there is no tint.
QColor heatTextColor(double kl);

} // namespace ponder::app
