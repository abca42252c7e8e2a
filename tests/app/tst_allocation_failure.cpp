// A header that asks for more memory than there is ends in an error the
// user can read, not in std::terminate: the picker's read of a local model's
// header catches std::bad_alloc and std::length_error at the engine's door.
#include <QtTest>

#include <functional>
#include <new>
#include <stdexcept>

#include "local_models.h"

namespace ponder::app::test_hooks {
extern std::function<void(const QString& path)> beforeModelInfoRead;
}

using ponder::app::LocalModels;
namespace hooks = ponder::app::test_hooks;

class TestAllocationFailure : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { hooks::beforeModelInfoRead = nullptr; }

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
};

QTEST_GUILESS_MAIN(TestAllocationFailure)
#include "tst_allocation_failure.moc"
