// LocalModels: the models folder scanned (split models grouped under their
// first part, files matched to the catalog by name), imports checked the way
// the engine opens a model (a valid file is remembered, an invalid or
// truncated one is refused with a clear message and not listed), and imports
// remembered across instances without copying the file. Split models' part
// names as the app reads and writes them (split_name.h), against the
// engine's ggufSplitPath.
#include <QtTest>

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include "local_models.h"
#include "split_name.h"
#include "model_generator.h"

using namespace ponder;
using namespace ponder::app;

namespace {

void writeTiny(const QString& path, uint32_t parts = 1, Architecture arch = Architecture::Llama)
{
    testing::ModelSpec spec;
    spec.config = testing::tinyConfig(arch, 320);
    spec.mix = QuantMix::Q8_0;
    spec.parts = parts;
    const auto written = testing::writeModel(path.toStdString(), spec, 2);
    if (!written)
        qFatal("%s", written.error().message.c_str());
}

} // namespace

class TestLocalModels : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString models() const { return m_dir.filePath(QStringLiteral("models")); }
    QString elsewhere() const { return m_dir.filePath(QStringLiteral("elsewhere")); }

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("Ponder-tests"));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().remove(QLatin1String(LocalModels::kImportedKey));

        QVERIFY(QDir().mkpath(models() + QStringLiteral("/DeepSeek-R1-Distill-Llama-70B-Q8_0")));
        QVERIFY(QDir().mkpath(elsewhere()));
        // A catalog file name, a split model in its folder (as downloads lay
        // them out), a file the catalog does not know, and a half-downloaded one.
        writeTiny(models() + QStringLiteral("/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"), 1, Architecture::Qwen2);
        writeTiny(models() + QStringLiteral("/DeepSeek-R1-Distill-Llama-70B-Q8_0/DeepSeek-R1-Distill-Llama-70B-Q8_0.gguf"),
                  2);
        writeTiny(models() + QStringLiteral("/my-own-finetune.gguf"));
        QFile part(models() + QStringLiteral("/DeepSeek-R1-Distill-Qwen-14B-Q6_K.gguf.part"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write("GGUF");

        writeTiny(elsewhere() + QStringLiteral("/valid.gguf"));
        QFile::copy(elsewhere() + QStringLiteral("/valid.gguf"), elsewhere() + QStringLiteral("/truncated.gguf"));
        QFile truncated(elsewhere() + QStringLiteral("/truncated.gguf"));
        QVERIFY(truncated.resize(truncated.size() / 2));
        QFile text(elsewhere() + QStringLiteral("/notes.gguf"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("These are my notes, not a model.\n");
        text.close();
        QFile readme(elsewhere() + QStringLiteral("/readme.txt"));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("hello");
    }

    void scansTheFolder()
    {
        LocalModels local;
        local.setFolder(models());
        QCOMPARE(local.count(), 3);
        const auto& list = local.models();

        const LocalModel* qwen = local.find(QStringLiteral("qwen-7b"), QStringLiteral("Q4_K_M"));
        QVERIFY(qwen);
        QCOMPARE(qwen->fileName, QStringLiteral("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"));
        QCOMPARE(qwen->partCount, 1);
        QVERIFY(qwen->complete());
        QCOMPARE(qwen->bytes, QFileInfo(qwen->path).size());

        // Both parts make one entry, named by the first part.
        const LocalModel* split = local.find(QStringLiteral("llama-70b"), QStringLiteral("Q8_0"));
        QVERIFY(split);
        QCOMPARE(split->fileName, QStringLiteral("DeepSeek-R1-Distill-Llama-70B-Q8_0-00001-of-00002.gguf"));
        QCOMPARE(split->partCount, 2);
        QCOMPARE(split->parts.size(), 2);
        QVERIFY(split->complete());
        QCOMPARE(split->bytes, QFileInfo(split->parts[0]).size() + QFileInfo(split->parts[1]).size());

        const auto other = std::find_if(list.begin(), list.end(), [](const LocalModel& m) {
            return m.fileName == QLatin1String("my-own-finetune.gguf");
        });
        QVERIFY(other != list.end());
        QVERIFY(other->modelId.isEmpty());
        QVERIFY(!other->imported);

        // The split model's header and tensors come from both parts.
        const auto info = local.modelInfo(split->path);
        QVERIFY2(info, info ? "" : qPrintable(info.error()));
        QCOMPARE(info->config.blockCount, 2u);
    }

    void missingPartIsIncomplete()
    {
        QTemporaryDir dir;
        writeTiny(dir.filePath(QStringLiteral("m.gguf")), 3);
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("m-00003-of-00003.gguf"))));
        LocalModels local;
        local.setFolder(dir.path());
        QCOMPARE(local.count(), 1);
        QCOMPARE(local.models().first().parts.size(), 2);
        QVERIFY(!local.models().first().complete());
        // Without its first part nothing stands for the model.
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("m-00001-of-00003.gguf"))));
        local.rescan();
        QCOMPARE(local.count(), 0);
    }

    void importsAValidFile()
    {
        LocalModels local;
        local.setFolder(models());
        QSignalSpy imported(&local, &LocalModels::imported);
        const QString path = elsewhere() + QStringLiteral("/valid.gguf");
        // FileDialog and DropArea give URLs.
        QVERIFY(local.importFile(QUrl::fromLocalFile(path).toString()));
        QCOMPARE(imported.size(), 1);
        QVERIFY(local.errorString().isEmpty());
        QCOMPARE(local.count(), 4);
        const auto& list = local.models();
        const auto found = std::find_if(list.begin(), list.end(), [&](const LocalModel& m) { return m.path == path; });
        QVERIFY(found != list.end());
        QVERIFY(found->imported);
        // Remembered, not copied: the only copy is where it was.
        QVERIFY(!QFile::exists(models() + QStringLiteral("/valid.gguf")));

        LocalModels later;
        later.setFolder(models());
        QCOMPARE(later.count(), 4);
        later.forget(path);
        QCOMPARE(later.count(), 3);
        QVERIFY(QFile::exists(path));
    }

    void refusesUnusableFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated") << "truncated.gguf" << "truncated.gguf is not a model Ponder can run: ";
        QTest::newRow("text") << "notes.gguf" << "notes.gguf is not a model Ponder can run: ";
        QTest::newRow("not gguf") << "readme.txt" << "readme.txt is not a GGUF model file (.gguf)";
        QTest::newRow("missing") << "gone.gguf" << "is not a file";
    }

    void refusesUnusableFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        LocalModels local;
        local.setFolder(models());
        const int before = local.count();
        QSignalSpy failed(&local, &LocalModels::importFailed);
        QVERIFY(!local.importFile(elsewhere() + u'/' + file));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(local.errorString().contains(message), qPrintable(local.errorString()));
        qInfo("%s", qPrintable(local.errorString()));
        QCOMPARE(local.count(), before);
        QVERIFY(!QSettings().value(QLatin1String(LocalModels::kImportedKey)).toStringList().contains(elsewhere() + u'/' + file));
    }

    void importingAPartMeansTheModel()
    {
        QTemporaryDir dir;
        writeTiny(dir.filePath(QStringLiteral("split.gguf")), 2);
        LocalModels local;
        QVERIFY(local.importFile(dir.filePath(QStringLiteral("split-00002-of-00002.gguf"))));
        QCOMPARE(local.count(), 1);
        QCOMPARE(local.models().first().path, dir.filePath(QStringLiteral("split-00001-of-00002.gguf")));
        QCOMPARE(local.models().first().parts.size(), 2);
        local.forget(local.models().first().path);
        QCOMPARE(local.count(), 0);
    }

    void partPaths_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("path");
        QTest::newRow("first of two") << "m" << 0 << 2 << "m-00001-of-00002.gguf";
        QTest::newRow("in a folder") << "/models/R1-Q4_K_M" << 1 << 3 << "/models/R1-Q4_K_M-00002-of-00003.gguf";
        // Past nine parts: the QML regex this replaces knew single digits only.
        QTest::newRow("twelfth of twelve") << "big" << 11 << 12 << "big-00012-of-00012.gguf";
        QTest::newRow("dashes in the stem") << "a-b-00001-of" << 0 << 1 << "a-b-00001-of-00001-of-00001.gguf";
    }

    void partPaths()
    {
        QFETCH(QString, prefix);
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, path);
        QCOMPARE(splitPartPath(prefix, index, count), path);
        const std::optional<SplitPart> part = splitPartOf(path);
        QVERIFY(part);
        QCOMPARE(part->prefix, prefix);
        QCOMPARE(part->index, index);
        QCOMPARE(part->count, count);
    }

    void notParts()
    {
        for (const char* name : {"model.gguf", "model-0001-of-0002.gguf", "model-00001-of-00002.bin",
                                 "model-00001-of-00000.gguf", "model-00001-00002.gguf"})
            QVERIFY2(!splitPartOf(QString::fromLatin1(name)), name);
    }

    void modelNames()
    {
        QCOMPARE(splitModelName(QStringLiteral("R1-Q4_K_M-00001-of-00002.gguf")), QStringLiteral("R1-Q4_K_M.gguf"));
        QCOMPARE(splitModelName(QStringLiteral("/m/big-00012-of-00012.gguf")), QStringLiteral("big.gguf"));
        QCOMPARE(splitModelName(QStringLiteral("R1-Q4_K_M.gguf")), QStringLiteral("R1-Q4_K_M.gguf"));
    }
};

QTEST_GUILESS_MAIN(TestLocalModels)
#include "tst_local_models.moc"
