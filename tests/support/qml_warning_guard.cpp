#include "qml_warning_guard.h"

#include <QMutex>
#include <QtGlobal>

namespace ponder::test {
namespace {

QMutex g_mutex;
QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

void collect(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg) {
        // XDG_RUNTIME_DIR is a property of the test machine, not of our UI.
        if (!message.startsWith(QLatin1String("QStandardPaths:"))) {
            QMutexLocker lock(&g_mutex);
            g_warnings << QStringLiteral("[%1] %2").arg(QString::fromUtf8(context.category), message);
        }
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

QmlWarningGuard::QmlWarningGuard()
{
    g_previousHandler = qInstallMessageHandler(collect);
    m_previous = reinterpret_cast<void*>(g_previousHandler);
}

QmlWarningGuard::~QmlWarningGuard()
{
    qInstallMessageHandler(reinterpret_cast<QtMessageHandler>(m_previous));
}

QStringList QmlWarningGuard::take()
{
    QMutexLocker lock(&g_mutex);
    return std::exchange(g_warnings, {});
}

} // namespace ponder::test
