// The model picker, loaded from the real QML module offscreen with a fixed
// fake GPU budget (an 8 GiB card with 7.5 GiB free), so the grid shows all
// three badges, and with RAM beside it, so the models the card cannot hold
// show where their layers would go (the split badge): it must
// load without a QML warning, show the verdicts ModelFit computes, update the
// figures live when the context slider moves or another GPU is chosen, be
// driven by keyboard, import a dropped file, and it saves a screenshot of
// itself in each theme. Its quality charts (Qt Charts, so the suite runs
// under a QApplication) open from a model's row and from the overview
// button, show their points and tooltips, and are saved in each theme.
#include <QtTest>

#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>

#include "app_setup.h"
#include "local_models.h"
#include "model_generator.h"
#include "measured_quality.h"
#include "model_picker_model.h"
#include "qml_warning_guard.h"
#include "quality_chart_model.h"
#include "quality_overview_model.h"
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
    // from the window, as they will in the app); %1 is that palette.
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
    // The palette of Main.qml, from test::mainWindowPaletteQml().
%1
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

        QQuickItem* find(const QString& name, bool visibleOnly = true) const
        {
            const auto items = test::findByObjectName(window->contentItem(), name, visibleOnly);
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
        component.setData(QString::fromUtf8(kWindowQml).arg(test::mainWindowPaletteQml()).toUtf8(),
                          QUrl(QStringLiteral("qrc:/tst_model_picker/Window.qml")));
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

    // Opening the picker fetches nothing (issue 12: the app makes no request
    // the user did not ask for); the cell the user moves to reads its file's
    // header.
    void fetchesOnlyWhereTheUserMoves()
    {
        auto p = open(false);
        QCOMPARE(p->model.refiningRow(), -1);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        QCOMPARE(p->model.refiningRow(), -1);
        QQuickItem* grid = p->find(QStringLiteral("modelGrid"));
        QVERIFY(grid);
        grid->forceActiveFocus();
        QSignalSpy refining(&p->model, &ModelPickerModel::refiningRowChanged);
        QTest::keyClick(p->window.get(), Qt::Key_Right);  // qwen-1.5b Q8_0
        QVERIFY(!refining.isEmpty());
        QCOMPARE(p->model.refiningRow(), p->model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q8_0));
    }

    // A downloaded file nothing could verify says so in its cell (the reason
    // on hover), and loads only after the user agrees to it.
    void unverifiedFileAsksBeforeLoading()
    {
        const QString model = m_dir.filePath(QStringLiteral("models/DeepSeek-R1-Distill-Qwen-1.5B-Q2_K.gguf"));
        QFile mark(model + QStringLiteral(".unverified"));
        QVERIFY(mark.open(QIODevice::WriteOnly));
        // (No raw string here: moc 6.4 misreads one holding an apostrophe.)
        mark.write("{\"version\": 1, \"reason\": \"the file list could not be fetched: <b>404</b>\", "
                   "\"url\": \"https://huggingface.co/x/y/resolve/main/f.gguf\", \"sha256\": \"\", \"size\": 1}");
        mark.close();
        const auto removeMark = qScopeGuard([&] { QFile::remove(mark.fileName()); });

        auto p = open(false);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        const QString cell = QStringLiteral("cell_qwen-1.5b_Q2_K");
        QVERIFY(p->cellText(cell, QStringLiteral("sizeLabel")).contains(QStringLiteral("not verified")));
        const QModelIndex index = p->model.index(p->model.rowOf(QStringLiteral("qwen-1.5b"), QuantMix::Q2_K));
        QVERIFY(index.data(ModelPickerModel::UnverifiedRole).toBool());
        QVERIFY(index.data(ModelPickerModel::UnverifiedReasonRole).toString().contains(QStringLiteral("<b>404</b>")));

        QSignalSpy load(p->root, SIGNAL(loadRequested(QString)));
        QQuickItem* button = test::findByObjectName(p->find(cell), QStringLiteral("cellAction")).value(0);
        QVERIFY(button);
        QMetaObject::invokeMethod(button, "clicked");
        QQuickItem* dialog = p->find(QStringLiteral("unverifiedDialogText"));
        QTRY_VERIFY(dialog);
        QCOMPARE(dialog->property("textFormat").toInt(), int(Qt::PlainText));
        QVERIFY(dialog->property("text").toString().contains(QStringLiteral("<b>404</b>")));
        QCOMPARE(load.size(), 0);
        QQuickItem* loadAnyway = p->find(QStringLiteral("loadUnverified"));
        QVERIFY(loadAnyway);
        QMetaObject::invokeMethod(loadAnyway, "clicked");
        QTRY_COMPARE(load.size(), 1);
        QCOMPARE(load.first().at(0).toString(), model);
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

    void qualityCharts_data() { test::themeRows(); }

    // "Compare quants" opens the chart of a model's quants over the grid:
    // a hollow typical point per quant, the measured one filled, the
    // recommendation ringed, the free memory as a line; hovering a point
    // shows its figures. The overview tab shows all six models. Both are
    // saved in each theme, and the pictures are checked for the series'
    // colours where the series are.
    void qualityCharts()
    {
        QFETCH(bool, dark);
        auto p = open(dark);
        QVERIFY(QTest::qWaitForWindowActive(p->window.get()));
        MeasuredQuality measured;
        QuantQuality q4;
        q4.modelId = QStringLiteral("qwen-7b");
        q4.quant = QStringLiteral("Q4_K_M");
        q4.referenceQuant = QStringLiteral("F16");
        q4.meanKld = 0.0215;
        q4.sameTopPercent = 93.46;
        q4.positions = 2048;
        q4.measuredAt = QDateTime::currentDateTimeUtc();
        measured.setAll({q4});
        p->model.setMeasuredQuality(&measured);

        // Nothing of the charts exists until asked for.
        QVERIFY(!p->find(QStringLiteral("qualityChart")));
        QQuickItem* compare = p->find(QStringLiteral("compareQuants_qwen-7b"));
        QVERIFY(compare);
        QTest::mouseClick(p->window.get(), Qt::LeftButton, {},
                          compare->mapToScene(compare->boundingRect().center()).toPoint());
        QTRY_VERIFY(p->find(QStringLiteral("qualityChart")));
        QQuickItem* page = p->find(QStringLiteral("qualityChartPage"));
        QVERIFY(page);
        auto* chart = qobject_cast<QualityChartModel*>(page->property("points").value<QObject*>());
        QVERIFY(chart);
        QCOMPARE(chart->modelId(), QStringLiteral("qwen-7b"));
        QCOMPARE(chart->count(), 7);
        QCOMPARE(chart->measuredCount(), 1);
        QCOMPARE(p->find(QStringLiteral("chartTitle"))->property("text").toString(),
                 QStringLiteral("Qwen-7B: quality lost against memory"));
        QCOMPARE(p->find(QStringLiteral("legendTypical"))->property("text").toString(),
                 QStringLiteral("typical (llama.cpp, Llama-3-8B)"));
        QCOMPARE(p->find(QStringLiteral("legendRecommended"))->property("text").toString(),
                 QStringLiteral("★ recommended: Q6_K"));
        QCOMPARE(p->find(QStringLiteral("freeLineLabel"))->property("text").toString(), QStringLiteral("7.5 GB free"));

        // Every point has its target, inside the plot, left to right by memory.
        QQuickItem* plot = p->find(QStringLiteral("qualityChart"));
        const QRectF plotArea = plot->property("plotArea").toRectF();
        QVERIFY(plotArea.width() > 300 && plotArea.height() > 200);
        QTRY_VERIFY(p->find(QStringLiteral("point_qwen-7b_Q2_K")));
        double lastX = 1e9;
        for (const QString& quant : p->model.quantNames()) {  // F16 … Q2_K: less memory each
            QQuickItem* marker = p->find(QStringLiteral("point_qwen-7b_") + quant);
            QVERIFY2(marker, qPrintable(quant));
            const QPointF centre = marker->mapToItem(plot, marker->boundingRect().center());
            QVERIFY2(plotArea.adjusted(-1, -1, 1, 1).contains(centre), qPrintable(quant));
            QVERIFY2(centre.x() < lastX, qPrintable(quant));
            lastX = centre.x();
        }
        // F16 sits on the floor, named so.
        QQuickItem* f16 = p->find(QStringLiteral("point_qwen-7b_F16"));
        QCOMPARE(test::findByObjectName(f16, QStringLiteral("pointLabel")).first()->property("text").toString(),
                 QStringLiteral("F16 (reference, KLD 0)"));

        // Hovering the measured point shows its figures.
        // The visible one of the two charts' tooltips (each chart has its own).
        const auto toolTip = [&]() -> QObject* {
            for (const char* chartPage : {"qualityChartPage", "qualityOverviewPage"})
                for (QObject* tip : p->find(QLatin1String(chartPage), false)->findChildren<QObject*>(QStringLiteral("pointToolTip")))
                    if (tip->property("visible").toBool())
                        return tip;
            return nullptr;
        };
        QVERIFY(!toolTip());
        QQuickItem* q4Marker = p->find(QStringLiteral("point_qwen-7b_Q4_K_M"));
        QTest::mouseMove(p->window.get(), q4Marker->mapToScene(q4Marker->boundingRect().center()).toPoint());
        QTRY_VERIFY(toolTip());
        const QString text = toolTip()->property("text").toString();
        const QStringList lines = text.split(u'\n');
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QStringLiteral("Qwen-7B Q4_K_M · 4.68 GB download"));
        QVERIFY2(lines[1].startsWith(QLatin1String("GPU ")) && lines[1].endsWith(QLatin1String(" at 4,096 tokens of context")),
                 qPrintable(lines[1]));
        QCOMPARE(lines[2], QStringLiteral("Mean KLD 0.0215 (measured on this machine against F16, 2,048 tokens)"));
        QCOMPARE(lines[3], QStringLiteral("Same top token 93.5%"));
        QVERIFY2(lines[4].startsWith(QLatin1String("Fits: needs ")) && lines[4].endsWith(QLatin1String("7.5 GB free")),
                 qPrintable(lines[4]));
        // Drawn: give the tooltip's fade-in its time before the picture.
        QTRY_COMPARE(toolTip()->property("opacity").toDouble(), 1.0);

        const QString name = dark ? QStringLiteral("quality_chart_dark") : QStringLiteral("quality_chart_light");
        QVERIFY(!test::saveScreenshot(p->window.get(), name).isEmpty());
        const QImage shot = p->window->grabWindow();
        const qreal dpr = p->window->devicePixelRatio();
        const auto pixelsOf = [&](QQuickItem* item, qreal grow = 0) {
            const QRectF area = item->mapRectToScene(item->boundingRect()).adjusted(-grow, -grow, grow, grow);
            return QRectF(area.topLeft() * dpr, area.size() * dpr).toAlignedRect();
        };
        const QColor accent = p->find(QStringLiteral("legendTypical"))->property("colour").value<QColor>();
        const QColor ok = p->find(QStringLiteral("legendRecommended"))->property("colour").value<QColor>();
        const QColor line = p->find(QStringLiteral("legendFree"))->property("colour").value<QColor>();
        // The plot is drawn in the theme's surface colour, not Qt Charts' own white.
        const QColor surface = plot->property("plotAreaColor").value<QColor>();
        const QRect plotPixels = QRectF(plot->mapToScene(plotArea.topLeft()) * dpr, plotArea.size() * dpr).toAlignedRect();
        QVERIFY2(test::pixelsNear(shot, plotPixels, surface, 4) > plotPixels.width() * plotPixels.height() / 2,
                 qPrintable(surface.name()));
        // A hollow typical point has the accent on its rim; the measured one is filled with it.
        const int hollow = test::pixelsNear(shot, pixelsOf(p->find(QStringLiteral("point_qwen-7b_Q8_0"))), accent, 40);
        const int filled = test::pixelsNear(shot, pixelsOf(q4Marker), accent, 40);
        QVERIFY2(hollow >= 10, qPrintable(QString::number(hollow)));
        QVERIFY2(filled > hollow + 20, qPrintable(QStringLiteral("%1 vs %2").arg(filled).arg(hollow)));
        // The recommended point's ring, and the free-memory line.
        QVERIFY2(test::pixelsNear(shot, pixelsOf(p->find(QStringLiteral("point_qwen-7b_Q6_K")), 16), ok, 40) >= 20,
                 qPrintable(ok.name()));
        QVERIFY2(test::pixelsNear(shot, plotPixels, line, 40) >= 50, qPrintable(line.name()));

        // The overview: all six distills.
        QQuickItem* overviewTab = p->find(QStringLiteral("overviewTab"));
        QTest::mouseClick(p->window.get(), Qt::LeftButton, {},
                          overviewTab->mapToScene(overviewTab->boundingRect().center()).toPoint());
        QTRY_VERIFY(p->find(QStringLiteral("overviewChart")));
        QQuickItem* overview = p->find(QStringLiteral("qualityOverviewPage"));
        auto* all = qobject_cast<QualityOverviewModel*>(overview->property("points").value<QObject*>());
        QVERIFY(all);
        QCOMPARE(all->count(), 42);
        QTRY_VERIFY(p->find(QStringLiteral("point_qwen-14b_Q3_K_M")));
        QQuickItem* q14 = p->find(QStringLiteral("point_qwen-14b_Q3_K_M"));
        QTRY_VERIFY(q14->property("position").toPointF().y() > 0);
        QTest::mouseMove(p->window.get(), q14->mapToScene(q14->boundingRect().center()).toPoint());
        QTRY_VERIFY(toolTip() && toolTip()->property("text").toString().startsWith(QStringLiteral("Qwen-14B Q3_K_M")));
        const QString overviewText = toolTip()->property("text").toString();
        QVERIFY2(overviewText.contains(QLatin1String("\nMean KLD 0.102 (typical for Q3_K_M: llama.cpp, Llama-3-8B)\n")),
                 qPrintable(overviewText));
        QVERIFY2(overviewText.contains(QLatin1String("\nAIME 2024 pass@1 69.7% (published for the unquantized model)\n")),
                 qPrintable(overviewText));
        QVERIFY2(overviewText.contains(QLatin1String("\nDoes not fit: needs ")), qPrintable(overviewText));
        // Each model's name is written by its row.
        for (const char* model : {"Qwen-1.5B", "Qwen-7B", "Llama-8B", "Qwen-14B", "Qwen-32B", "Llama-70B"}) {
            const auto labels = test::findItems(overview, [&](QQuickItem* item) {
                return item->objectName() == QLatin1String("pointLabel") && item->isVisible() &&
                       item->property("text").toString() == QLatin1String(model);
            });
            QCOMPARE(labels.size(), 1);
        }
        QTRY_COMPARE(toolTip()->property("opacity").toDouble(), 1.0);
        QVERIFY(!test::saveScreenshot(p->window.get(), dark ? QStringLiteral("quality_overview_dark")
                                                       : QStringLiteral("quality_overview_light"))
                     .isEmpty());
        // Each quant type's markers in its colour, where they are.
        const QImage overviewShot = p->window->grabWindow();
        for (const char* cell : {"qwen-7b_F16", "qwen-7b_Q8_0", "qwen-32b_Q4_K_M", "llama-70b_Q2_K"}) {
            QQuickItem* marker = p->find(QStringLiteral("point_") + QLatin1String(cell));
            QVERIFY2(marker, cell);
            QVariant colour;
            QVERIFY(QMetaObject::invokeMethod(overview, "colourOf", Q_RETURN_ARG(QVariant, colour),
                                              Q_ARG(QVariant, marker->property("quant"))));
            const QColor tone = colour.value<QColor>();
            QVERIFY2(test::pixelsNear(overviewShot, pixelsOf(marker), tone, 40) >= 8,
                     qPrintable(QStringLiteral("%1: no %2").arg(QLatin1String(cell), tone.name())));
        }

        // Escape returns to the grid as it was; the overview button opens the second tab.
        QTest::keyClick(p->window.get(), Qt::Key_Escape);
        QObject* popup = p->find(QStringLiteral("qualityLoader"))->property("item").value<QObject*>();
        QVERIFY(popup);
        QCOMPARE(popup->objectName(), QStringLiteral("qualityPopup"));
        QTRY_VERIFY(!popup->property("visible").toBool());
        QVERIFY(p->find(QStringLiteral("modelGrid")));
        QQuickItem* overviewButton = p->find(QStringLiteral("overviewButton"));
        QTest::mouseClick(p->window.get(), Qt::LeftButton, {},
                          overviewButton->mapToScene(overviewButton->boundingRect().center()).toPoint());
        QTRY_VERIFY(popup->property("visible").toBool());
        QCOMPARE(popup->property("page").toInt(), 1);
        p->model.setMeasuredQuality(nullptr);
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
