// The first run (app/welcome/) in the real window, offscreen: with no model
// and no server the welcome stands in for the empty chat, names the devices
// the GpuSelector found and recommends one model for them; its one button
// downloads it from the local test server (a generated GGUF under the
// catalog's file name, the catalog's server redirected there), a failure
// shows with a retry, progress shows in place, and the chat opens on the
// model when it is verified. "Not now" is remembered, and with a model
// here the welcome never shows. Screenshots in both themes.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "download_manager.h"
#include "gpu_selector.h"
#include "model_generator.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "test_http_server.h"
#include "welcome_controller.h"

using namespace ponder;
using app::AdapterSummary;
using app::WelcomeController;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

// An 8 GB GPU and the CPU engine: the recommendation is then
// DeepSeek-R1-Distill-Qwen-7B Q6_K (tst_first_run_choice's "8 GB GPU").
QList<AdapterSummary> fakeRig()
{
    AdapterSummary gpu;
    gpu.name = QStringLiteral("NVIDIA GeForce RTX 3070");
    gpu.type = vk::AdapterType::Discrete;
    gpu.totalMemory = 8 * kGiB;
    gpu.freeMemory = 15 * kGiB / 2;
    gpu.measuredFree = true;
    gpu.vulkanIndex = 0;
    AdapterSummary cpu;
    cpu.name = QStringLiteral("CPU (2 cores, AVX2)");
    cpu.type = vk::AdapterType::Cpu;
    cpu.cpuEngine = true;
    cpu.totalMemory = 16 * kGiB;
    cpu.freeMemory = 12 * kGiB;
    cpu.physicalCores = 2;
    return {gpu, cpu};
}

QString text(QQuickItem* item)
{
    return item ? item->property("text").toString() : QString();
}

} // namespace

class TestWelcome : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QByteArray m_model;  // a generated GGUF, served under the recommended quant's name
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

    static QQuickWindow* load(QQmlApplicationEngine& engine, bool dark = false)
    {
        app::setUpEngine(engine);
        if (!test::setTheme(engine, dark))
            return nullptr;
        engine.load(app::mainQmlUrl());
        if (engine.rootObjects().size() != 1)
            return nullptr;
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        if (!window || !QTest::qWaitForWindowExposed(window))
            return nullptr;
        window->requestActivate();
        return window;
    }
    static QQuickItem* find(QQuickWindow* window, const char* name)
    {
        const auto items = test::findByObjectName(window->contentItem(), QString::fromLatin1(name));
        return items.isEmpty() ? nullptr : items.first();
    }
    static bool welcomeShown(QQuickWindow* window)
    {
        const auto pages = test::findByObjectName(window->contentItem(), QStringLiteral("welcomePage"), false);
        return !pages.isEmpty() && pages.first()->isVisible();
    }
    static void click(QQuickWindow* window, QQuickItem* item)
    {
        QVERIFY(item && item->isVisible());
        QTest::mouseClick(window, Qt::LeftButton, {}, item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    }
    // The models folder of the window's downloads (the per-suite data folder).
    static QString modelsFolder(QQuickWindow* window)
    {
        return window->findChild<app::DownloadManager*>(QStringLiteral("downloadManager"))->modelsFolder();
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(m_dir.isValid());
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.mix = QuantMix::Q4_K_M;
        const QString path = m_dir.filePath(QStringLiteral("tiny.gguf"));
        const auto written = testing::writeModel(path.toStdString(), spec, 2);
        QVERIFY2(written, written ? "" : written.error().message.c_str());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_model = file.readAll();
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanup()
    {
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    // No model, no server: the welcome, the devices the selector found, one
    // recommendation with its reason, and the download button in the picture.
    void showsDevicesAndRecommendation_data() { test::themeRows(); }

    void showsDevicesAndRecommendation()
    {
        QFETCH(bool, dark);
        QQmlApplicationEngine engine;
        QQuickWindow* window = load(engine, dark);
        QVERIFY(window);
        QVERIFY(welcomeShown(window));
        auto* welcome = window->findChild<WelcomeController*>(QStringLiteral("welcomeController"));
        auto* gpu = window->findChild<app::GpuSelector*>();
        QVERIFY(welcome && gpu);

        // The real devices, as the selector lists them (GPUs and the CPU engine).
        QTRY_VERIFY_WITH_TIMEOUT(!gpu->probing(), 30000);
        QStringList expected;
        for (const AdapterSummary& device : gpu->adapterList())
            if (device.cpuEngine || app::isGpuAdapter(device.type))
                expected << device.name;
        QVERIFY(!expected.isEmpty());  // the CPU engine at least
        QStringList shown;
        QTRY_VERIFY([&] {
            shown.clear();
            for (QQuickItem* label : test::findByObjectName(window->contentItem(), QStringLiteral("welcomeDevice")))
                shown << text(label);
            return shown.size() == expected.size();
        }());
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(shown[i].startsWith(expected[i] + QStringLiteral(" · ")), qPrintable(shown[i]));
        QVERIFY2(!text(find(window, "welcomeReason")).isEmpty(), "no reason for the real devices");

        // A known rig, for a known recommendation.
        welcome->setAdapters(fakeRig());
        QTRY_COMPARE(text(find(window, "welcomeModel")), QStringLiteral("DeepSeek-R1-Distill-Qwen-7B Q6_K"));
        const QString reason = text(find(window, "welcomeReason"));
        QVERIFY2(reason.contains(QStringLiteral("Fits your NVIDIA GeForce RTX 3070 (8.0 GB) with room for an 8k context")),
                 qPrintable(reason));
        QCOMPARE(test::findByObjectName(window->contentItem(), QStringLiteral("welcomeDevice")).size(), 2);
        QVERIFY(text(test::findByObjectName(window->contentItem(), QStringLiteral("welcomeDevice"))[1])
                    .contains(QStringLiteral("16.0 GB of RAM")));
        QQuickItem* button = find(window, "welcomeDownload");
        QVERIFY(button);
        QCOMPARE(text(button), QStringLiteral("Download (6.25 GB)"));
        for (const char* name : {"welcomeOpenFile", "welcomeServer", "welcomePicker", "welcomeNotNow"})
            QVERIFY2(find(window, name), name);
        QVERIFY(test::findAccessible(window->contentItem(), QStringLiteral("Download DeepSeek-R1-Distill-Qwen-7B Q6_K")));

        QTest::qWait(50);  // one more frame for the layout
        const QString path = test::saveScreenshot(window, dark ? QStringLiteral("welcome_dark") : QStringLiteral("welcome_light"));
        QVERIFY(!path.isEmpty());
        // The button is drawn, in the accent colour, where it is.
        const QImage shot(path);
        const QRectF rect = button->mapRectToScene(QRectF(0, 0, button->width(), button->height()));
        const QColor accent = button->property("background").value<QQuickItem*>()->property("color").value<QColor>();
        const int accentPixels = test::pixelsNear(shot, (rect.toRect()), accent, 8);
        QVERIFY2(accentPixels > rect.width() * rect.height() / 2, qPrintable(QString::number(accentPixels)));
    }

    // Nothing in the catalog loads on this rig: it says so, and the way in
    // is a server.
    void nothingFitsOffersTheServer()
    {
        QQmlApplicationEngine engine;
        QQuickWindow* window = load(engine);
        QVERIFY(window);
        auto* welcome = window->findChild<WelcomeController*>(QStringLiteral("welcomeController"));
        QVERIFY(welcome);
        AdapterSummary old = fakeRig().first();
        old.name = QStringLiteral("Old GPU");
        old.totalMemory = kGiB;
        old.freeMemory = 3 * kGiB / 4;
        welcome->setAdapters({old});
        QTRY_VERIFY(!welcome->found() && find(window, "welcomeServerPrimary"));
        QVERIFY(!find(window, "welcomeModel"));
        QVERIFY(!find(window, "welcomeDownload"));
        const QString reason = text(find(window, "welcomeReason"));
        QVERIFY2(reason.contains(QStringLiteral("No model in the catalog fits your Old GPU")) &&
                     reason.contains(QStringLiteral("768.0 MB free")),
                 qPrintable(reason));
        QVERIFY(!test::saveScreenshot(window, QStringLiteral("welcome_nothing_fits")).isEmpty());
        auto* dialog = window->findChild<QObject*>(QStringLiteral("serverDialog"));
        QVERIFY(dialog);
        click(window, find(window, "welcomeServerPrimary"));
        QTRY_VERIFY(dialog->property("opened").toBool());
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY(!dialog->property("visible").toBool());
    }

    // "Not now" shows the empty chat, and the welcome stays away after a restart.
    void notNowIsRemembered()
    {
        {
            QQmlApplicationEngine engine;
            QQuickWindow* window = load(engine);
            QVERIFY(window);
            QVERIFY(welcomeShown(window));
            click(window, find(window, "welcomeNotNow"));
            QTRY_VERIFY(!welcomeShown(window));
        }
        QVERIFY(QSettings().value(QLatin1String(WelcomeController::kDoneKey)).toBool());
        {
            QQmlApplicationEngine engine;
            QQuickWindow* window = load(engine);
            QVERIFY(window);
            QVERIFY(!welcomeShown(window));
        }
        QSettings().remove(QLatin1String(WelcomeController::kDoneKey));
    }

    // The button downloads the recommendation (a 404 first: the error and a
    // retry), progress in place, and the chat opens on the verified model.
    void downloadsAndOpensTheChat()
    {
        test::TestHttpServer server;
        QVERIFY(server.listen());
        QFile catalogFile(app::ModelCatalog::builtInPath());
        QVERIFY(catalogFile.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(catalogFile.readAll()).object();
        root.insert(QLatin1String("server"), server.url(QStringLiteral("/")).toString());
        QJsonArray models = root.value(QLatin1String("models")).toArray();
        QString served;
        for (qsizetype m = 0; m < models.size(); ++m) {
            QJsonObject model = models[m].toObject();
            if (model.value(QLatin1String("id")).toString() != QLatin1String("qwen-7b"))
                continue;
            QJsonArray quants = model.value(QLatin1String("quants")).toArray();
            for (qsizetype q = 0; q < quants.size(); ++q) {
                QJsonObject quant = quants[q].toObject();
                if (quant.value(QLatin1String("quant")).toString() != QLatin1String("Q6_K"))
                    continue;
                quant.insert(QLatin1String("bytes"), qint64(m_model.size()));
                quant.insert(QLatin1String("sizeExact"), true);
                quant.insert(QLatin1String("sha256"), QString::fromLatin1(test::TestHttpServer::sha256Hex(m_model)));
                served = QStringLiteral("/%1/resolve/%2/%3")
                             .arg(quant.value(QLatin1String("repo")).toString(), quant.value(QLatin1String("revision")).toString(),
                                  quant.value(QLatin1String("files")).toArray().first().toString());
                quants[q] = quant;
            }
            model.insert(QLatin1String("quants"), quants);
            models[m] = model;
        }
        root.insert(QLatin1String("models"), models);
        const auto catalog = app::ModelCatalog::fromJson(QJsonDocument(root).toJson());
        QVERIFY2(catalog, qPrintable(catalog.error()));
        QVERIFY(!served.isEmpty());
        server.serve(served, m_model);
        // Slow enough to see progress, fast enough for a test: about 4 s.
        server.setRate(served, m_model.size() / 4 + 1);

        QQmlApplicationEngine engine;
        QQuickWindow* window = load(engine);
        QVERIFY(window);
        QVERIFY(welcomeShown(window));
        auto* welcome = window->findChild<WelcomeController*>(QStringLiteral("welcomeController"));
        auto* chat = window->findChild<app::ChatController*>(QStringLiteral("chatController"));
        QVERIFY(welcome && chat);
        welcome->setCatalog(*catalog);
        welcome->setAdapters(fakeRig());
        QTRY_COMPARE(text(find(window, "welcomeModel")), QStringLiteral("DeepSeek-R1-Distill-Qwen-7B Q6_K"));

        // Not enough disk: the reason with a retry; Cancel brings the button back.
        auto* downloads = window->findChild<app::DownloadManager*>(QStringLiteral("downloadManager"));
        downloads->setFreeSpaceProbe([](const QString&) { return qint64(1000); });
        click(window, find(window, "welcomeDownload"));
        QTRY_VERIFY_WITH_TIMEOUT(find(window, "welcomeRetry"), 20000);
        const QString disk = text(find(window, "downloadStatus"));
        QVERIFY2(disk.contains(QStringLiteral("not enough disk space")), qPrintable(disk));
        click(window, test::findAccessible(window->contentItem(),
                                           QStringLiteral("Cancel the download of DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf "
                                                          "and delete its partial file")));
        QTRY_VERIFY(find(window, "welcomeDownload"));
        QVERIFY(!find(window, "welcomeProgress"));
        downloads->setFreeSpaceProbe(nullptr);

        // The server fails once: the reason with a retry, which then succeeds.
        server.failWith(served, 404, 1);
        click(window, find(window, "welcomeDownload"));
        QTRY_VERIFY_WITH_TIMEOUT(find(window, "welcomeRetry"), 20000);
        const QString error = text(find(window, "downloadStatus"));
        QVERIFY2(error.contains(QStringLiteral("404")), qPrintable(error));
        QVERIFY(!test::saveScreenshot(window, QStringLiteral("welcome_failed")).isEmpty());

        click(window, find(window, "welcomeRetry"));
        QTRY_VERIFY_WITH_TIMEOUT(!find(window, "welcomeRetry"), 20000);
        QVERIFY(find(window, "welcomeProgress"));
        QVERIFY(!find(window, "welcomeDownload"));
        // Bytes, rate and time left in place.
        QString progress;
        QTRY_VERIFY_WITH_TIMEOUT((progress = text(find(window, "downloadStatus"))).contains(QStringLiteral("/s")) &&
                                     progress.contains(QStringLiteral("left")),
                                 20000);
        QVERIFY2(progress.contains(QStringLiteral(" of ")), qPrintable(progress));
        QVERIFY(!test::saveScreenshot(window, QStringLiteral("welcome_downloading")).isEmpty());

        // Verified and in place: the chat opens on it and the welcome is done.
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), 60000);
        QVERIFY(!welcomeShown(window));
        QVERIFY(welcome->done());
        QVERIFY(QFileInfo::exists(modelsFolder(window) + QStringLiteral("/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf")));
        QVERIFY(chat->errorString().isEmpty());
    }

    // A model here (the one downloaded above): the welcome does not show,
    // even with its "done" mark gone.
    void withAModelTheWelcomeDoesNotShow()
    {
        QSettings().remove(QLatin1String(WelcomeController::kDoneKey));
        QQmlApplicationEngine engine;
        QQuickWindow* window = load(engine);
        QVERIFY(window);
        QVERIFY(QFileInfo::exists(modelsFolder(window) + QStringLiteral("/DeepSeek-R1-Distill-Qwen-7B-Q6_K.gguf")));
        QVERIFY(!welcomeShown(window));
        QVERIFY(window->findChild<WelcomeController*>(QStringLiteral("welcomeController"))->done());
    }
};

QTEST_MAIN(TestWelcome)
#include "tst_welcome.moc"
