// The model picker, loaded from the real QML module offscreen with a fixed
// fake GPU budget (an 8 GiB card with 7.5 GiB free), so the grid shows all
// three badges, and with RAM beside it, so the models the card cannot hold
// show where their layers would go (the split badge): it must
// load without a QML warning, show the verdicts ModelFit computes, update the
// figures live when the context slider moves or another GPU is chosen, be
// driven by keyboard, import a dropped file, and it saves a screenshot of
// itself in each theme.
#include <QtTest>

#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>

#include "app_setup.h"
#include "local_models.h"
#include "model_generator.h"
#include "model_picker_model.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"


using namespace ponder;
using namespace ponder::app;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

QList<AdapterSummary> fakeAdapters()
{
    AdapterSummary gpu;
    gpu.name = QStringLiteral("Test GPU");
    gpu.type = vk::AdapterType::Discrete;
    gpu.totalMemory = 8 * kGiB;
    gpu.freeMemory = 15 * kGiB / 2;  // the desktop holds the rest
    gpu.measuredFree = true;
    AdapterSummary big = gpu;
    big.name = QStringLiteral("Bigger test GPU");
    big.totalMemory = big.freeMemory = 48 * kGiB;
    return {gpu, big};
}

// The same card with the CPU engine beside it (24 GiB of RAM available),
// each with a measured bandwidth (an RTX 4060's 272 GB/s, a desktop's
// dual-channel DDR5), so split models show their layers and speed.
QList<AdapterSummary> splitAdapters()
{
    AdapterSummary gpu = fakeAdapters().first();
    gpu.readBytesPerSecond = 272e9;
    AdapterSummary cpu;
    cpu.name = QStringLiteral("CPU (8 cores, AVX2)");
    cpu.type = vk::AdapterType::Cpu;
    cpu.cpuEngine = true;
    cpu.totalMemory = 32 * kGiB;
    cpu.freeMemory = 24 * kGiB;
    cpu.measuredFree = true;
    cpu.physicalCores = 8;
    cpu.readBytesPerSecond = 60e9;
    // And decode rates for the types the estimate prefers them for (what
    // GpuSelector measures per type): below the bandwidth, as dequantizing
    // costs; F16 left to the bandwidth.
    for (TensorType type : {TensorType::Q4_K, TensorType::Q6_K, TensorType::Q5_K, TensorType::Q8_0, TensorType::Q3_K,
                            TensorType::Q2_K}) {
        gpu.decodeBytesPerSecond[type] = 190e9;
        cpu.decodeBytesPerSecond[type] = 30e9;
    }
    return {gpu, cpu};
}

void writeTiny(const QString& path)
{
    testing::ModelSpec spec;
    spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
    spec.mix = QuantMix::Q4_K_M;
    const auto written = testing::writeModel(path.toStdString(), spec, 2);
    if (!written)
        qFatal("%s", written.error().message.c_str());
}

} // namespace

class TestModelPicker : public QObject {
    Q_OBJECT
    std::unique_ptr<test::QmlWarningGuard> m_warnings;
    QTemporaryDir m_dir;

    // A picker in a window of its own, with the palette Main.qml gives every
    // control (the picker's ComboBox, Slider and Button take their colours
    // from the window, as they will in the app).
    static constexpr const char* kWindowQml = R"(
import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Models
ApplicationWindow {
    id: window
    required property ModelPickerModel picker
    width: 1340
    height: 1130
    color: Theme.window
    palette {
        window: Theme.window
        windowText: Theme.text
        base: Theme.surface
        alternateBase: Theme.sidebar
        text: Theme.text
        button: Theme.button
        buttonText: Theme.text
        brightText: Theme.accentText
        highlight: Theme.accent
        highlightedText: Theme.accentText
        placeholderText: Theme.mutedText
        mid: Theme.border
        midlight: Theme.border
        light: Theme.surface
        dark: Theme.accent
        toolTipBase: Theme.surface
        toolTipText: Theme.text
        disabled.buttonText: Theme.disabledText
        disabled.text: Theme.disabledText
        disabled.windowText: Theme.disabledText
    }
    ModelPicker {
        objectName: "modelPicker"
        anchors.fill: parent
        picker: window.picker
    }
}
)";

    struct Picker {
        QQmlApplicationEngine engine;
        LocalModels local;
        ModelPickerModel model;
        std::unique_ptr<QQuickWindow> window;
        QQuickItem* root = nullptr;  // the ModelPicker

        QQuickItem* find(const QString& name) const
        {
            const auto items = test::findByObjectName(window->contentItem(), name);
            return items.isEmpty() ? nullptr : items.first();
        }
        QString cellText(const QString& cell, const QString& label) const
        {
            QQuickItem* item = find(cell);
            const auto found = item ? test::findByObjectName(item, label) : QList<QQuickItem*>{};
            return found.isEmpty() ? QString() : found.first()->property("text").toString();
        }
        QString verdictOf(const QString& cell) const
        {
            QQuickItem* item = find(cell);
            return item ? item->property("verdict").toString() : QString();
        }
    };

    std::unique_ptr<Picker> open(bool dark, const QList<AdapterSummary>& adapters = fakeAdapters())
    {
        auto p = std::make_unique<Picker>();
        app::setUpEngine(p->engine);
        if (!test::setTheme(p->engine, dark))
            qFatal("cannot set the theme");
        p->local.setFolder(m_dir.filePath(QStringLiteral("models")));
        p->model.setLocalModels(&p->local);
        p->model.setAdapters(adapters);

        QQmlComponent component(&p->engine);
        component.setData(kWindowQml, QUrl(QStringLiteral("qrc:/tst_model_picker/Window.qml")));
        std::unique_ptr<QObject> object(
            component.createWithInitialProperties({{QStringLiteral("picker"), QVariant::fromValue(&p->model)}}));
        if (!object)
            qFatal("%s", qPrintable(component.errorString()));
        p->window.reset(qobject_cast<QQuickWindow*>(object.release()));
        p->root = p->find(QStringLiteral("modelPicker"));
        if (!p->root)
            qFatal("no ModelPicker in the window");
        p->window->show();
        // Controls draw with the palette of the active colour group: an
        // inactive window would show the desktop's colours.
        p->window->requestActivate();
        return p;
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QSettings().remove(QLatin1String(LocalModels::kImportedKey));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // One quant "downloaded" (a tiny stand-in with the catalog's file name), for the mark.
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("models"))));
        writeTiny(m_dir.filePath(QStringLiteral("models/DeepSeek-R1-Distill-Qwen-1.5B-Q2_K.gguf")));
        writeTiny(m_dir.filePath(QStringLiteral("elsewhere.gguf")));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanup()
    {
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    void showsAllBadges_data() { test::themeRows(); }

    void showsAllBadges()
    {
        QFETCH(bool, dark);
        auto p = open(dark);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QCOMPARE(p->model.contextLength(), 4096);
        QCOMPARE(p->model.freeMemory(), 15 * kGiB / 2);

        // Every cell of the grid, with the verdict the model computed.
        for (int row = 0; row < p->model.rowCount(); ++row) {
            const QModelIndex index = p->model.index(row);
            const QString name = QStringLiteral("cell_%1_%2").arg(
                index.data(ModelPickerModel::ModelIdRole).toString(), index.data(ModelPickerModel::QuantRole).toString());
            QTRY_VERIFY2(p->find(name), qPrintable(name));
            QCOMPARE(p->verdictOf(name), index.data(ModelPickerModel::VerdictRole).toString());
        }
        // 7.5 GiB free at 4096 tokens: the small models fit, the 8B Q6_K
        // (7.0 GB) barely, the 14B Q4_K_M and the 70B not at all.
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-1.5b_F16")), QStringLiteral("fits"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("fits"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_llama-8b_Q6_K")), QStringLiteral("tight"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q8_0")), QStringLiteral("doesNotFit"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-14b_Q4_K_M")), QStringLiteral("doesNotFit"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_llama-70b_Q2_K")), QStringLiteral("doesNotFit"));
        const QString reason = p->find(QStringLiteral("cell_qwen-14b_Q4_K_M"))->property("reason").toString();
        QVERIFY2(reason.startsWith(QLatin1String("needs ")) && reason.endsWith(QLatin1String(", 7.5 GB free")),
                 qPrintable(reason));

        // The recommendation: the best quant that fits, per model.
        QVERIFY(p->find(QStringLiteral("cell_qwen-1.5b_F16"))->property("recommended").toBool());
        QVERIFY(p->find(QStringLiteral("cell_qwen-7b_Q6_K"))->property("recommended").toBool());
        QVERIFY(!p->find(QStringLiteral("cell_qwen-7b_Q8_0"))->property("recommended").toBool());
        QVERIFY(p->find(QStringLiteral("cell_llama-8b_Q5_K_M"))->property("recommended").toBool());
        QVERIFY(!p->find(QStringLiteral("cell_llama-70b_Q2_K"))->property("recommended").toBool());

        // The stand-in file is marked downloaded, and planned from its own header.
        QQuickItem* downloaded = p->find(QStringLiteral("cell_qwen-1.5b_Q2_K"));
        QVERIFY(downloaded->property("downloaded").toBool());
        QCOMPARE(downloaded->property("estimateSource").toString(), QStringLiteral("file"));

        for (const char* name : {"Device to plan for", "Context length", "Import a GGUF model file",
                                 "Models and quantizations", "Download DeepSeek-R1-Distill-Qwen-7B Q4_K_M"})
            QVERIFY2(test::findAccessible(p->window->contentItem(), QString::fromUtf8(name)), name);

        QVERIFY(!test::saveScreenshot(p->window.get(), dark ? QStringLiteral("model_picker_dark")
                                                       : QStringLiteral("model_picker_light"))
                     .isEmpty());

        // Each verdict's badge is drawn in its colour where the badge is:
        // its label and outline are its tone.
        const QImage shot = p->window->grabWindow();
        for (const char* cell : {"cell_qwen-1.5b_F16", "cell_llama-8b_Q6_K", "cell_qwen-14b_Q4_K_M"}) {
            const auto badges = test::findItems(p->find(QString::fromLatin1(cell)), [](QQuickItem* item) {
                return QByteArray(item->metaObject()->className()).startsWith("FitBadge");
            });
            QCOMPARE(badges.size(), 1);
            const QRectF area = badges[0]->mapRectToScene(badges[0]->boundingRect());
            const QRect pixels = QRectF(area.topLeft() * p->window->devicePixelRatio(),
                                        area.size() * p->window->devicePixelRatio()).toAlignedRect();
            QVERIFY2(shot.rect().contains(pixels), cell);
            const QColor tone = badges[0]->property("tone").value<QColor>();
            QVERIFY2(test::pixelsNear(shot, pixels, tone, 24) >= 10,
                     qPrintable(QStringLiteral("%1: no %2 in its badge").arg(QString::fromLatin1(cell), tone.name())));
        }
    }

    void showsSplitBadges_data() { test::themeRows(); }

    // The 8 GB card with 24 GB of RAM: what the card cannot hold runs split,
    // and only what neither holds does not fit.
    void showsSplitBadges()
    {
        QFETCH(bool, dark);
        auto p = open(dark, splitAdapters());
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QTRY_VERIFY(p->find(QStringLiteral("cell_llama-70b_Q2_K")));

        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("fits"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-14b_Q4_K_M")), QStringLiteral("split"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-32b_Q4_K_M")), QStringLiteral("split"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-32b_F16")), QStringLiteral("doesNotFit"));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_llama-70b_F16")), QStringLiteral("doesNotFit"));

        // The split cell's words: its layers, its speed as an estimate, its memory per device.
        const QString cell = QStringLiteral("cell_qwen-14b_Q4_K_M");
        const app::FitResult& fit = p->model.fit(p->model.rowOf(QStringLiteral("qwen-14b"), QuantMix::Q4_K_M));
        QVERIFY(fit.split);
        const QString reasonText = p->cellText(cell, QStringLiteral("reasonLabel"));
        const QStringList lines = reasonText.split(u'\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QStringLiteral("GPU: %1 of 49 layers").arg(fit.split->gpuLayers));
        QVERIFY2(lines[1].startsWith(QStringLiteral("CPU: %1 · ").arg(49 - fit.split->gpuLayers)), qPrintable(lines[1]));
        QVERIFY2(lines[2].startsWith("estimated ") && lines[2].endsWith(" tok/s"), qPrintable(lines[2]));
        const QString reason = p->find(cell)->property("reason").toString();
        QVERIFY2(reason.startsWith(QStringLiteral("Split: %1 of 49 layers on Test GPU, ").arg(fit.split->gpuLayers)),
                 qPrintable(reason));
        QVERIFY2(p->cellText(cell, QStringLiteral("neededLabel")).startsWith("GPU "),
                 qPrintable(p->cellText(cell, QStringLiteral("neededLabel"))));
        const QString details = p->find(cell)->property("splitDetails").toString();
        QVERIFY2(details.contains(QStringLiteral("\nTest GPU: ")) && details.contains("7.5 GB free") &&
                     details.contains("CPU (8 cores, AVX2): "),
                 qPrintable(details));
        const auto badges = test::findItems(p->find(cell), [](QQuickItem* item) {
            return QByteArray(item->metaObject()->className()).startsWith("FitBadge");
        });
        QCOMPARE(badges.size(), 1);
        QCOMPARE(badges[0]->property("label").toString(), QStringLiteral("Split"));
        const QString spoken = test::accessibleName(p->find(cell));
        QVERIFY2(spoken.contains(QStringLiteral(", Split, Split: %1 of 49 layers on Test GPU").arg(fit.split->gpuLayers)),
                 qPrintable(spoken));

        // One device first: the 14B's Q2_K fits the card alone; the 32B fits
        // nowhere alone, so its best split quant is recommended.
        QVERIFY(p->find(QStringLiteral("cell_qwen-14b_Q2_K"))->property("recommended").toBool());
        QVERIFY(!p->find(cell)->property("recommended").toBool());
        int recommended32 = -1;
        for (const QString& quant : p->model.quantNames())
            if (p->find(QStringLiteral("cell_qwen-32b_") + quant)->property("recommended").toBool())
                recommended32 = int(p->model.quantNames().indexOf(quant));
        QVERIFY(recommended32 >= 0);
        const QString best = p->verdictOf(QStringLiteral("cell_qwen-32b_") + p->model.quantNames()[recommended32]);
        QVERIFY2(best.startsWith(QLatin1String("split")), qPrintable(best));
        for (int better = 0; better < recommended32; ++better)
            QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-32b_") + p->model.quantNames()[better]),
                     QStringLiteral("doesNotFit"));

        QVERIFY(!test::saveScreenshot(p->window.get(), dark ? QStringLiteral("model_picker_split_dark")
                                                       : QStringLiteral("model_picker_split_light"))
                     .isEmpty());

        // The split badge is drawn in its colour.
        const QImage shot = p->window->grabWindow();
        const QRectF area = badges[0]->mapRectToScene(badges[0]->boundingRect());
        const QRect pixels = QRectF(area.topLeft() * p->window->devicePixelRatio(),
                                    area.size() * p->window->devicePixelRatio()).toAlignedRect();
        const QColor tone = badges[0]->property("tone").value<QColor>();
        QVERIFY2(test::pixelsNear(shot, pixels, tone, 24) >= 10, qPrintable(tone.name()));

        // A number of GPU layers applies to every model, even one that fits.
        p->model.setGpuLayers(10);
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("split"));
        QVERIFY(p->cellText(QStringLiteral("cell_qwen-7b_Q6_K"), QStringLiteral("reasonLabel"))
                    .startsWith(QStringLiteral("GPU: 10 of 29 layers\nCPU: 19 · ")));
        p->model.setGpuLayers(-1);
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("fits"));
    }

    void contextSliderUpdatesFigures()
    {
        auto p = open(false);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        const QString cell = QStringLiteral("cell_qwen-7b_Q4_K_M");
        QTRY_VERIFY(p->find(cell));
        const QString before = p->cellText(cell, QStringLiteral("neededLabel"));
        QVERIFY2(before.startsWith(QLatin1String("GPU ")), qPrintable(before));

        QQuickItem* slider = p->find(QStringLiteral("contextSlider"));
        QVERIFY(slider);
        slider->forceActiveFocus();
        QTest::keyClick(p->window.get(), Qt::Key_Right);
        QTest::keyClick(p->window.get(), Qt::Key_Right);
        QCOMPARE(p->model.contextLength(), 8192);
        QCOMPARE(p->find(QStringLiteral("contextLabel"))->property("text").toString(), QStringLiteral("8,192 tokens"));
        const QString after = p->cellText(cell, QStringLiteral("neededLabel"));
        QVERIFY2(after != before, qPrintable(before + " → " + after));

        // A long context pushes the 7B Q6_K from fits to does not fit.
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("fits"));
        p->model.setContextLength(131072);
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-7b_Q6_K")), QStringLiteral("doesNotFit"));
        QCOMPARE(slider->property("value").toInt(), p->model.contextSteps().size() - 1);
    }

    void otherGpuChangesVerdicts()
    {
        auto p = open(false);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QQuickItem* box = p->find(QStringLiteral("adapterBox"));
        QVERIFY(box);
        QCOMPARE(box->property("count").toInt(), 2);
        QVERIFY(box->property("currentText").toString().startsWith(QLatin1String("Test GPU (discrete GPU)")));
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-14b_Q4_K_M")), QStringLiteral("doesNotFit"));
        // Choose the second adapter with the keyboard.
        box->forceActiveFocus();
        QTest::keyClick(p->window.get(), Qt::Key_Down);
        QCOMPARE(p->model.adapterIndex(), 1);
        QCOMPARE(p->verdictOf(QStringLiteral("cell_qwen-14b_Q4_K_M")), QStringLiteral("fits"));
    }

    void keyboardDownloadsAndLoads()
    {
        auto p = open(false);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QSignalSpy download(p->root, SIGNAL(downloadRequested(QString, QString)));
        QSignalSpy load(p->root, SIGNAL(loadRequested(QString)));
        QQuickItem* grid = p->find(QStringLiteral("modelGrid"));
        QVERIFY(grid);
        grid->forceActiveFocus();
        QTest::keyClick(p->window.get(), Qt::Key_Right);  // qwen-1.5b Q8_0
        QTest::keyClick(p->window.get(), Qt::Key_Return);
        QCOMPARE(download.size(), 1);
        QCOMPARE(download.first().at(0).toString(), QStringLiteral("qwen-1.5b"));
        QCOMPARE(download.first().at(1).toString(), QStringLiteral("Q8_0"));
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(p->window.get(), Qt::Key_Right);  // qwen-1.5b Q2_K: downloaded
        QTest::keyClick(p->window.get(), Qt::Key_Return);
        QCOMPARE(load.size(), 1);
        QVERIFY(load.first().at(0).toString().endsWith(QLatin1String("models/DeepSeek-R1-Distill-Qwen-1.5B-Q2_K.gguf")));

        // What a download needs: the pinned URL and the file name.
        const QVariantList parts =
            p->model.downloadParts(p->model.rowOf(QStringLiteral("llama-70b"), QuantMix::Q4_K_M));
        QCOMPARE(parts.size(), 1);
        const QVariantMap part = parts.first().toMap();
        QCOMPARE(part.value(QStringLiteral("file")).toString(), QStringLiteral("DeepSeek-R1-Distill-Llama-70B-Q4_K_M.gguf"));
        QCOMPARE(part.value(QStringLiteral("size")).toLongLong(), 42520395936);
        QVERIFY(part.value(QStringLiteral("url")).toUrl().toString().contains(
            QLatin1String("/resolve/65aba803797c2051e50f419eeb29affb64f231bc/")));
        QCOMPARE(p->model.downloadPartsFor(QStringLiteral("llama-70b"), QStringLiteral("Q8_0")).size(), 2);
        QVERIFY(p->model.downloadPartsFor(QStringLiteral("llama-70b"), QStringLiteral("Q9")).isEmpty());
    }

    // Dropping a file imports it (the DropArea and the dialog call importUrls).
    void dropImports()
    {
        auto p = open(false);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        const int before = p->local.count();
        const QUrl file = QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("elsewhere.gguf")));
        QVERIFY(QMetaObject::invokeMethod(p->root, "importUrls", Q_ARG(QVariant, QVariantList{file})));
        QCOMPARE(p->local.count(), before + 1);
        p->local.forget(file.toLocalFile());

        // A file that is not a model says why, on the picker.
        QFile notes(m_dir.filePath(QStringLiteral("notes.gguf")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a model");
        notes.close();
        QVERIFY(QMetaObject::invokeMethod(p->root, "importUrls",
                                          Q_ARG(QVariant, QVariantList{QUrl::fromLocalFile(notes.fileName())})));
        QQuickItem* error = p->find(QStringLiteral("importError"));
        QVERIFY(error);
        QVERIFY2(error->property("text").toString().startsWith(QLatin1String("notes.gguf is not a model Ponder can run")),
                 qPrintable(error->property("text").toString()));
    }
};

QTEST_MAIN(TestModelPicker)
#include "tst_model_picker.moc"
