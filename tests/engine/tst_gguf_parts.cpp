// Split models (llama.cpp's gguf-split layout) on the CPU: a model written in
// parts opens from the path of any part as the same model as when written in
// one file (same info, same bytes for every weight, identical reference
// logits, the same memory plan), and every way the parts can fail to fit
// together gives an error naming what is wrong. Also ponder-make-model --split.
#include <QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cstring>
#include <map>
#include <set>

#include "model_generator.h"
#include "ponder/gguf_parts.h"
#include "ponder/gguf_writer.h"
#include "ponder/memory_plan.h"
#include "ponder/model_file.h"
#include "ponder/reference/reference_backend.h"
#include "split_models.h"

using namespace ponder;

namespace {

// Re-writes the GGUF file at `path` with metadata values replaced (`keys`,
// written with the type they had), the tensor `drop` left out, and the
// tensor `extra` of `extraFrom` added at the end.
void rewrite(const std::filesystem::path& path, const std::map<std::string, int64_t>& keys,
             std::string_view drop = {}, const GgufFile* extraFrom = nullptr, std::string_view extra = {})
{
    auto source = GgufFile::open(path);  // its mapping outlives the rename over it
    if (!source)
        qFatal("%s", source.error().message.c_str());
    auto writer = GgufWriter::create(path);
    if (!writer)
        qFatal("%s", writer.error().message.c_str());
    for (const GgufKeyValue& kv : source->header().metadata()) {
        const auto replaced = keys.find(std::string(kv.key));
        if (replaced == keys.end())
            writer->addValue(kv.key, kv.value);
        else if (kv.value.type() == GgufType::Uint16)
            writer->addUint16(kv.key, uint16_t(replaced->second));
        else
            writer->addInt32(kv.key, int32_t(replaced->second));
    }
    std::vector<std::pair<const GgufFile*, const GgufTensorInfo*>> tensors;
    for (const GgufTensorInfo& t : source->header().tensors())
        if (t.name != drop)
            tensors.emplace_back(&*source, &t);
    if (extraFrom)
        tensors.emplace_back(extraFrom, extraFrom->findTensor(extra));
    for (const auto& [file, t] : tensors)
        writer->addTensor(t->name, t->type, t->dims);
    for (const auto& [file, t] : tensors)
        if (auto written = writer->writeTensorData(file->tensorData(*t)); !written)
            qFatal("%s", written.error().message.c_str());
    if (auto finished = writer->finish(); !finished)
        qFatal("%s", finished.error().message.c_str());
}

void copyOver(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

QByteArray message(const Result<std::unique_ptr<ModelFile>>& opened)
{
    return opened ? QByteArray("(opened)") : QByteArray::fromStdString(opened.error().message);
}

} // namespace

class TestGgufParts : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    // A tiny llama model in 3 parts in a directory of its own, for breaking.
    std::filesystem::path freshSplit(const QString& name, Architecture arch = Architecture::Llama,
                                     uint32_t feedForward = 0)
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(arch, 320);
        if (feedForward)
            spec.config.feedForwardLength = feedForward;
        spec.mix = QuantMix::Q4_K_M;
        spec.parts = 3;
        QDir(m_dir.path()).mkpath(name);
        const std::filesystem::path path = m_dir.filePath(name + "/model.gguf").toStdString();
        if (auto written = testing::writeModel(path, spec, 2); !written)
            qFatal("%s", written.error().message.c_str());
        return path;
    }
    static std::filesystem::path part(const std::filesystem::path& path, uint32_t index)
    {
        return testing::splitPartPath(path, index, 3);
    }

private slots:
    void sameModelAsOneFile_data()
    {
        QTest::addColumn<int>("arch");
        QTest::addColumn<QString>("mix");
        QTest::addColumn<int>("parts");
        QTest::addColumn<bool>("metadataOnly");
        QTest::addColumn<bool>("tied");
        QTest::newRow("llama Q4_K_M, 3 parts") << int(Architecture::Llama) << "Q4_K_M" << 3 << false << false;
        QTest::newRow("qwen2 Q4_K_M, 3 parts") << int(Architecture::Qwen2) << "Q4_K_M" << 3 << false << false;
        QTest::newRow("qwen2 F32 tied, 2 parts") << int(Architecture::Qwen2) << "F32" << 2 << false << true;
        QTest::newRow("llama Q8_0, 4 parts, metadata-only first")
            << int(Architecture::Llama) << "Q8_0" << 4 << true << false;
    }

    // Same info, same weight bytes from the right parts, identical logits on
    // the CPU reference, the same memory plan.
    void sameModelAsOneFile()
    {
        QFETCH(int, arch);
        QFETCH(QString, mix);
        QFETCH(int, parts);
        QFETCH(bool, metadataOnly);
        QFETCH(bool, tied);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture(arch), 320);
        spec.config.tiedOutput = tied;
        spec.mix = *quantMixFromName(mix.toStdString());
        spec.seed = 17;
        const QString name = QString("same-%1-%2-%3-%4").arg(arch).arg(mix).arg(parts).arg(metadataOnly);
        const auto paths = test::writeSingleAndSplit(m_dir, name, spec, uint32_t(parts), metadataOnly);

        auto single = ModelFile::open(paths.single);
        auto split = ModelFile::open(paths.first);
        QVERIFY2(single, message(single));
        QVERIFY2(split, message(split));
        const ModelFile& a = **single;
        const ModelFile& b = **split;
        QCOMPARE(a.files().count(), size_t(1));
        QVERIFY(!a.files().isSplit());
        QCOMPARE(b.files().count(), size_t(parts));
        QCOMPARE(b.gguf().path(), paths.first);
        if (metadataOnly)
            QVERIFY(b.files().metadata().header().tensors().empty());
        for (const GgufFile& p : b.files().parts())
            QVERIFY(p.header().find(kSplitCountKey));

        // Info: the first part's metadata over the union of the tensors.
        QCOMPARE(b.info().name, a.info().name);
        QCOMPARE(b.info().fileType, a.info().fileType);
        QCOMPARE(b.info().config.vocabSize, a.info().config.vocabSize);
        QCOMPARE(b.info().config.tiedOutput, tied);
        QCOMPARE(b.info().config.hasQkvBias, a.info().config.hasQkvBias);
        QCOMPARE(b.info().config.hasRopeFreqs, a.info().config.hasRopeFreqs);
        QCOMPARE(b.info().parameterCount, a.info().parameterCount);
        QCOMPARE(b.info().tensorBytes, a.info().tensorBytes);
        QCOMPARE(b.info().tensors.size(), a.info().tensors.size());
        for (size_t i = 0; i < a.info().tensors.size(); ++i) {
            QCOMPARE(b.info().tensors[i].name, a.info().tensors[i].name);
            QCOMPARE(b.info().tensors[i].dims, a.info().tensors[i].dims);
            QCOMPARE(b.info().tensors[i].bytes, a.info().tensors[i].bytes);
        }
        QCOMPARE(b.tokenizer().vocabSize(), a.tokenizer().vocabSize());
        QCOMPARE(int(b.chatFormat()), int(a.chatFormat()));

        // Every tensor's bytes equal the single file's, and lie in the
        // mapping of the part that lists it; every part with tensors is used.
        std::set<const GgufFile*> used;
        for (const TensorDesc& desc : b.info().tensors) {
            const GgufFile* holder = b.files().partOf(desc.name);
            QVERIFY(holder);
            used.insert(holder);
            const auto bytes = b.files().tensorData(desc.name);
            const auto expected = a.files().tensorData(desc.name);
            QCOMPARE(bytes.size(), expected.size());
            QVERIFY(std::memcmp(bytes.data(), expected.data(), bytes.size()) == 0);
            const auto whole = holder->bytes();
            QVERIFY(bytes.data() >= whole.data() && bytes.data() + bytes.size() <= whole.data() + whole.size());
        }
        QCOMPARE(used.size(), size_t(parts - (metadataOnly ? 1 : 0)));
        QCOMPARE(b.weights().layers.back().ffnDown.data.data(),
                 b.files().tensorData(layerTensorName(1, "ffn_down.weight")).data());

        // Identical logits on the CPU reference.
        const auto prompt = a.tokenizer().encode("Split files, one model: does it still think?", true, false);
        reference::ReferenceBackend cpuA(a.info(), a.weights(), 64);
        reference::ReferenceBackend cpuB(b.info(), b.weights(), 64);
        auto logitsA = cpuA.evaluate(prompt, true);
        auto logitsB = cpuB.evaluate(prompt, true);
        QVERIFY(logitsA && logitsB);
        QCOMPARE(logitsB->size(), logitsA->size());
        QVERIFY(std::memcmp(logitsA->data(), logitsB->data(), logitsA->size() * sizeof(float)) == 0);

        // The same memory plan, for a discrete GPU and for lavapipe's limits.
        PlanOptions options;
        options.contextLength = 256;
        DeviceLimits lavapipe;
        lavapipe.maxStorageBufferRange = 128ull << 20;
        lavapipe.storageOffsetAlignment = 16;
        for (const DeviceLimits& limits : {DeviceLimits{}, lavapipe}) {
            auto planA = planMemory(a.info(), options, limits);
            auto planB = planMemory(b.info(), options, limits);
            QVERIFY(planA && planB);
            const std::string difference = test::planDifference(*planA, *planB);
            QVERIFY2(difference.empty(), difference.c_str());
        }
    }

    // The path of any part opens the whole model.
    void opensFromAnyPart()
    {
        const auto path = freshSplit("any");
        for (uint32_t i = 0; i < 3; ++i) {
            auto model = ModelFile::open(part(path, i));
            QVERIFY2(model, message(model));
            QCOMPARE((*model)->files().count(), size_t(3));
            QCOMPARE((*model)->gguf().path(), part(path, 0));
            QCOMPARE((*model)->files().parts()[i].path(), part(path, i));
            QCOMPARE((*model)->info().config.blockCount, 2u);
        }
        auto parts = GgufParts::open(part(path, 1));
        QVERIFY(parts);
        QCOMPARE(parts->displayName(), std::string("model-00001-of-00003.gguf (3 parts)"));
        QCOMPARE(parts->tensors().size(), size_t(*parts->metadata().header().getUint(kSplitTensorsCountKey)));
        QVERIFY(!parts->findTensor("no.such.tensor"));
        QVERIFY(parts->tensorData("no.such.tensor").empty());
    }

    void missingPart_data()
    {
        QTest::addColumn<int>("missing");
        QTest::addColumn<int>("opened");
        QTest::newRow("third, opening the first") << 2 << 0;
        QTest::newRow("first, opening the second") << 0 << 1;
        QTest::newRow("second, opening the third") << 1 << 2;
    }

    void missingPart()
    {
        QFETCH(int, missing);
        QFETCH(int, opened);
        const auto path = freshSplit(QString("missing%1").arg(missing));
        std::filesystem::remove(part(path, uint32_t(missing)));
        auto model = ModelFile::open(part(path, uint32_t(opened)));
        QVERIFY(!model);
        QCOMPARE(int(model.error().code), int(ErrorCode::NotFound));
        const QByteArray text = message(model);
        qInfo("%s", text.constData());
        QVERIFY2(text.contains(QByteArray::fromStdString(part(path, uint32_t(missing)).filename().string())), text);
        QVERIFY2(text.contains("missing"), text);
        QVERIFY2(text.contains(QByteArray("part ") + QByteArray::number(missing + 1) + " of 3"), text);
    }

    void brokenParts_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("expected");  // in the message
        QTest::newRow("a tensor in two parts") << "duplicate" << "is in both 'model-00002-of-00003.gguf' and "
                                                                 "'model-00003-of-00003.gguf'";
        QTest::newRow("a part says another part count") << "count" << "says the model has 4 parts, but";
        QTest::newRow("a part says another tensor count") << "tensors" << "says the model has 99 tensors, but";
        QTest::newRow("fewer tensors than split.tensors.count") << "dropped" << "tensors, but split.tensors.count says";
        QTest::newRow("a part numbered wrong") << "number" << "says it is part 3, but its name says part 2";
        QTest::newRow("a part without split keys") << "plain" << "is not a part of a split model";
        QTest::newRow("a renamed part") << "renamed" << "its other parts cannot be found";
    }

    void brokenParts()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, expected);
        const auto path = freshSplit("broken-" + breakage);
        std::filesystem::path open = part(path, 0);
        if (breakage == "duplicate") {
            auto second = GgufFile::open(part(path, 1));
            QVERIFY(second);
            const std::string name(second->header().tensors().back().name);
            rewrite(part(path, 2), {}, {}, &*second, name);
            QVERIFY(GgufFile::open(part(path, 2)));
        } else if (breakage == "count") {
            rewrite(part(path, 1), {{"split.count", 4}});
        } else if (breakage == "tensors") {
            rewrite(part(path, 2), {{"split.tensors.count", 99}});
        } else if (breakage == "dropped") {
            auto third = GgufFile::open(part(path, 2));
            QVERIFY(third);
            rewrite(part(path, 2), {}, std::string(third->header().tensors().front().name));
        } else if (breakage == "number") {
            rewrite(part(path, 1), {{"split.no", 2}});
        } else if (breakage == "plain") {
            // A part that is a GGUF file of its own: no split keys.
            GgufWriter writer = *GgufWriter::create(part(path, 2));
            writer.addString("general.architecture", "llama");
            QVERIFY(writer.finish());
        } else if (breakage == "renamed") {
            open = m_dir.filePath("broken-renamed/renamed.gguf").toStdString();
            std::filesystem::rename(part(path, 1), open);
        }
        auto model = ModelFile::open(open);
        QVERIFY(!model);
        QCOMPARE(int(model.error().code), int(ErrorCode::Malformed));
        const QByteArray text = message(model);
        qInfo("%s", text.constData());
        QVERIFY2(text.contains(expected.toUtf8()), text);
    }

    void partsOfDifferentModels_data()
    {
        QTest::addColumn<int>("otherArch");
        QTest::addColumn<int>("otherFeedForward");
        QTest::addColumn<QString>("expected");
        QTest::newRow("another architecture") << int(Architecture::Qwen2) << 512 << "parts of different models";
        QTest::newRow("another shape") << int(Architecture::Llama) << 768 << "";
    }

    // Parts with the same names from two models: caught by the counts, else
    // by the union not being one model (a tensor in two parts, one missing,
    // or shapes that disagree with the first part's metadata).
    void partsOfDifferentModels()
    {
        QFETCH(int, otherArch);
        QFETCH(int, otherFeedForward);
        QFETCH(QString, expected);
        const QString tag = QString("%1-%2").arg(otherArch).arg(otherFeedForward);
        const auto path = freshSplit("mine-" + tag);
        const auto other = freshSplit("other-" + tag, Architecture(otherArch), uint32_t(otherFeedForward));
        QVERIFY(ModelFile::open(part(other, 0)));
        copyOver(part(other, 1), part(path, 1));
        auto model = ModelFile::open(part(path, 0));
        QVERIFY(!model);
        QCOMPARE(int(model.error().code), int(ErrorCode::Malformed));
        const QByteArray text = message(model);
        qInfo("%s", text.constData());
        QVERIFY2(text.contains(expected.toUtf8()), text);
        QVERIFY2(text.contains("model-0000"), text);  // names the parts or the model
    }

    // A file that is not split, or that gguf-split --merge wrote (split.count 0), is one part.
    void singleFilesAreOnePart()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        const std::filesystem::path path = m_dir.filePath("single.gguf").toStdString();
        QVERIFY(testing::writeModel(path, spec, 2));
        auto before = ModelFile::open(path);
        QVERIFY(before);
        QCOMPARE((*before)->files().displayName(), std::string("single.gguf"));
        QCOMPARE((*before)->files().tensors().size(), (*before)->gguf().header().tensors().size());
        QCOMPARE((*before)->files().metadata().path(), path);

        const std::filesystem::path merged = m_dir.filePath("merged.gguf").toStdString();
        copyOver(path, merged);
        {
            auto source = GgufFile::open(path);
            QVERIFY(source);
            auto writer = GgufWriter::create(merged);
            QVERIFY(writer);
            for (const GgufKeyValue& kv : source->header().metadata())
                writer->addValue(kv.key, kv.value);
            writer->addUint16(kSplitCountKey, 0);
            for (const GgufTensorInfo& t : source->header().tensors())
                writer->addTensor(t.name, t.type, t.dims);
            for (const GgufTensorInfo& t : source->header().tensors())
                QVERIFY(writer->writeTensorData(source->tensorData(t)));
            QVERIFY(writer->finish());
        }
        auto model = ModelFile::open(merged);
        QVERIFY2(model, message(model));
        QCOMPARE((*model)->files().count(), size_t(1));
    }

    void writerErrors()
    {
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Llama, 320);
        spec.parts = 1000;  // more parts than tensors
        const auto written = testing::writeModel(m_dir.filePath("toomany.gguf").toStdString(), spec, 2);
        QVERIFY(!written);
        QCOMPARE(int(written.error().code), int(ErrorCode::InvalidArgument));
        QCOMPARE(testing::splitPartPath("/d/m.gguf", 1, 3), std::filesystem::path("/d/m-00002-of-00003.gguf"));
        QCOMPARE(ggufSplitPath("/d/m", 11, 12), std::filesystem::path("/d/m-00012-of-00012.gguf"));
    }

    // ponder-make-model --split N writes the parts; ponder-cli --info reads
    // the model from any of them.
    void makeModelSplit()
    {
        const QString makeModel = qEnvironmentVariable("PONDER_MAKE_MODEL");
        const QString cli = qEnvironmentVariable("PONDER_CLI");
        QVERIFY2(QFile::exists(makeModel) && QFile::exists(cli), "PONDER_MAKE_MODEL or PONDER_CLI is not set");
        QDir(m_dir.path()).mkpath("cli");
        const QString out = m_dir.filePath("cli/made.gguf");
        QProcess make;
        make.start(makeModel, {"--out", out, "--arch", "qwen2", "--mix", "Q4_K_M", "--split", "3",
                               "--split-metadata-only", "--threads", "2"});
        QVERIFY(make.waitForFinished(120000));
        QVERIFY2(make.exitCode() == 0, make.readAllStandardError().constData());
        QVERIFY(!QFile::exists(out));
        for (const char* name : {"made-00001-of-00003.gguf", "made-00002-of-00003.gguf", "made-00003-of-00003.gguf"})
            QVERIFY2(QFile::exists(m_dir.filePath(QString("cli/") + name)), name);

        QProcess info;
        info.start(cli, {"--model", m_dir.filePath("cli/made-00003-of-00003.gguf"), "--info"});
        QVERIFY(info.waitForFinished(120000));
        QVERIFY2(info.exitCode() == 0, info.readAllStandardError().constData());
        const QJsonObject json = QJsonDocument::fromJson(info.readAllStandardOutput()).object();
        QCOMPARE(json["parts"].toInt(), 3);
        QCOMPARE(json["architecture"].toString(), QString("qwen2"));
        QVERIFY(json["file"].toString().endsWith("made-00001-of-00003.gguf"));

        QProcess bad;
        bad.start(makeModel, {"--out", out, "--arch", "qwen2", "--split-metadata-only"});
        QVERIFY(bad.waitForFinished(120000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("--split"));
    }
};

QTEST_GUILESS_MAIN(TestGgufParts)
#include "tst_gguf_parts.moc"
