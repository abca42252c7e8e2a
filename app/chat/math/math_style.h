// How a formula sits in the text: inline (in a line of prose, on its
// baseline) or display (a block of its own, centred, larger operators).
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace ponder::app {

namespace MathStyleNs {
Q_NAMESPACE
QML_NAMED_ELEMENT(MathStyle)

enum class MathStyle { Inline, Display };
Q_ENUM_NS(MathStyle)
} // namespace MathStyleNs

using MathStyleNs::MathStyle;

} // namespace ponder::app
