// A header that asks for more memory than there is ends in an error the
// user can read, not in std::terminate: the picker's read of a local model's
// header catches std::bad_alloc and std::length_error at the engine's door.
// So does the engine's thread: an exception out of a load or a generation
// (std::bad_alloc, or any other) is the message a failed load or answer
// shows, and the engine goes on to open and answer again.
#include <QtTest>

#include <QSignalSpy>

#include <functional>
#include <new>
#include <stdexcept>

#include "chat_engine.h"
#include "local_engine.h"
#include "local_models.h"
#include "model_generator.h"

namespace ponder::app::test_hooks {
extern std::function<void(const QString& path)> beforeModelInfoRead;
extern std::function<void(const char* step)> engineStep;
}

using ponder::app::ChatBackend;
using ponder::app::EngineDevice;
using ponder::app::LocalEngine;
using ponder::app::LocalModels;
namespace hooks = ponder::app::test_hooks;

namespace {

// Throws what the row names, standing in for the engine.
[[noreturn]] void throwAs(const QString& kind)
{
    if (kind == QLatin1String("bad_alloc"))
        throw std::bad_alloc();
    if (kind == QLatin1String("length_error"))
        throw std::length_error("vector::reserve");
    throw std::runtime_error("unexpected tensor");
}

} // namespace

class TestAllocationFailure : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

private slots:
    void initTestCase()
    {
        ponder::testing::ModelSpec spec;
        spec.config = ponder::testing::tinyConfig(ponder::Architecture::Qwen2);
        spec.mix = ponder::QuantMix::Q8_0;
        m_model = m_dir.filePath("tiny.gguf");
        QVERIFY(ponder::testing::writeModel(m_model.toStdString(), spec, 2));
    }

    void cleanup()
    {
        hooks::beforeModelInfoRead = nullptr;
        hooks::engineStep = nullptr;
    }

    void headerReadOutOfMemoryIsAnError_data()
    {
        QTest::addColumn<bool>("lengthError");
        QTest::newRow("std::bad_alloc") << false;
        QTest::newRow("std::length_error") << true;
    }

    void headerReadOutOfMemoryIsAnError()
    {
        QFETCH(bool, lengthError);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("huge-vocab.gguf"));
        QString seen;
        hooks::beforeModelInfoRead = [&](const QString& p) {
            seen = p;
            if (lengthError)
                throw std::length_error("vector::reserve");
            throw std::bad_alloc();
        };
        const auto info = LocalModels::readModelInfoFrom(path);
        QCOMPARE(seen, path);
        QVERIFY(!info);
        QVERIFY2(info.error().contains(QStringLiteral("not enough memory to read huge-vocab.gguf")),
                 qPrintable(info.error()));
    }

    // Without the injected failure the same call reports the real problem.
    void otherwiseTheUsualError()
    {
        QTemporaryDir dir;
        const auto info = LocalModels::readModelInfoFrom(dir.filePath(QStringLiteral("missing.gguf")));
        QVERIFY(!info);
        QVERIFY(!info.error().contains(QStringLiteral("not enough memory")));
    }

    void engineFailures_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");  // part of what the user reads
        QTest::newRow("std::bad_alloc") << "bad_alloc" << "Not enough memory (RAM)";
        QTest::newRow("std::length_error") << "length_error" << "Not enough memory (RAM)";
        QTest::newRow("another exception") << "runtime_error" << "The engine failed: unexpected tensor";
    }

    // Thrown while the model loads: openFailed, as for a file that will not
    // open; the same engine then opens the model.
    void engineFailures()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        LocalEngine engine(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&engine, &ChatBackend::opened);
        QSignalSpy openFailed(&engine, &ChatBackend::openFailed);
        hooks::engineStep = [kind](const char* step) {
            if (qstrcmp(step, "load") == 0)
                throwAs(kind);
        };
        engine.open();
        QTRY_COMPARE_WITH_TIMEOUT(openFailed.count(), 1, 30000);
        QVERIFY2(openFailed.first().first().toString().contains(message),
                 qPrintable(openFailed.first().first().toString()));
        QCOMPARE(opened.count(), 0);
        hooks::engineStep = nullptr;
        engine.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    }

    // Thrown in the middle of an answer: failed, and the model closes (its
    // cache may be half written); opened again, it answers.
    void engineFailuresWhileAnswering_data() { engineFailures_data(); }

    void engineFailuresWhileAnswering()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        LocalEngine engine(m_model, 512, EngineDevice::named(QStringLiteral("cpu-reference")));
        QSignalSpy opened(&engine, &ChatBackend::opened);
        QSignalSpy closed(&engine, &ChatBackend::closed);
        QSignalSpy finished(&engine, &ChatBackend::finished);
        QSignalSpy failed(&engine, &ChatBackend::failed);
        engine.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        ponder::app::GenerationSettings settings;
        settings.sampler.greedy = true;
        settings.maxTokens = 8;
        const QList<ponder::app::ChatTurn> turns{{ponder::app::MessageRole::User, QStringLiteral("Hi")}};
        hooks::engineStep = [kind](const char* step) {
            if (qstrcmp(step, "text") == 0)
                throwAs(kind);
        };
        engine.generate(turns, settings);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count() + finished.count(), 1, 30000);
        hooks::engineStep = nullptr;
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.first().first().toString().contains(message), qPrintable(failed.first().first().toString()));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("open it again")));
        QCOMPARE(closed.count(), 1);

        engine.open();
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 30000);
        engine.generate(turns, settings);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count() + finished.count(), 2, 30000);
        QCOMPARE(finished.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestAllocationFailure)
#include "tst_allocation_failure.moc"
