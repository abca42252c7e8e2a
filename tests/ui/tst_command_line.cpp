// The ponder executable from a terminal: --help and --version answer without
// a display, a wrong option is named, and with no display at all the app
// says so and exits instead of aborting inside Qt.
#include <QtTest>

#include <QProcess>

class TestCommandLine : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QProcess::ExitStatus exitStatus = QProcess::CrashExit;
        QString out;
        QString err;
    };

    // Runs ponder with no display of any kind in its environment.
    static Run runWithoutDisplay(const QStringList& arguments)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* variable : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(variable));
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(PONDER_EXECUTABLE), arguments);
        Run run;
        if (!process.waitForFinished(30000)) {
            process.kill();
            process.waitForFinished();
            return run;
        }
        run.exitCode = process.exitCode();
        run.exitStatus = process.exitStatus();
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

private slots:
    void helpListsTheOptions()
    {
        const Run run = runWithoutDisplay({QStringLiteral("--help")});
        QCOMPARE(run.exitStatus, QProcess::NormalExit);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("--model <file>")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("reasoning models")), qPrintable(run.out));
    }

    void versionIsPrinted()
    {
        const Run run = runWithoutDisplay({QStringLiteral("--version")});
        QCOMPARE(run.exitStatus, QProcess::NormalExit);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("^Ponder \\d+\\.\\d+")).match(run.out).hasMatch(),
                 qPrintable(run.out));
    }

    void noDisplayIsAClearErrorNotACrash_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("no arguments") << QStringList{};
        QTest::newRow("a model") << QStringList{QStringLiteral("--model"), QStringLiteral("/nowhere.gguf")};
        QTest::newRow("an unknown option") << QStringList{QStringLiteral("--frobnicate")};
    }

    void noDisplayIsAClearErrorNotACrash()
    {
        QFETCH(QStringList, arguments);
        const Run run = runWithoutDisplay(arguments);
        QCOMPARE(run.exitStatus, QProcess::NormalExit);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("no display")), qPrintable(run.err));
    }

    void unknownOptionIsNamed()
    {
        // With a platform Qt can start anywhere, the option parser speaks.
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(PONDER_EXECUTABLE), {QStringLiteral("--frobnicate")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 1);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("frobnicate")), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
