// Runs one of the engine's command-line tools (ponder-cli, ponder-bench,
// ponder-make-model) to completion for the suites that test them through
// their command line.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace ponder::test {

struct ToolRun {
    int exitCode;  // -1 when the tool crashed
    QByteArray out;
    QByteArray err;
};

// Two minutes at most: a tool that takes longer ends the test process.
// `environment`: variables set for the tool alone, over the test's own.
inline ToolRun runTool(const QString& program, const QStringList& arguments,
                       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(120000))
        qFatal("%s timed out", qPrintable(program));
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace ponder::test
