// The main window, offscreen, with a model that does not fit the chosen GPU
// (lavapipe, its free memory capped by PONDER_TEST_GPU_FREE_BYTES below the
// model's plan): it opens split across the GPU and the CPU engine, the
// status line says where the layers went and what each device holds, and a
// conversation by keyboard gets its answer. Screenshots in both themes.
// Fails on any QML warning.
#include <QtTest>

#include <QQmlApplicationEngine>

#include "app_setup.h"
#include "chat_controller.h"
#include "gpu_free_memory.h"
#include "gpu_selector.h"
#include "model_fit.h"
#include "model_generator.h"
#include "ponder/gpu_model.h"
#include "ponder/model_file.h"
#include "ponder/vk/instance.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"

using namespace ponder;
using app::ChatController;
using app::MessageListModel;

class TestSplitChat : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    QString m_gpuName;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

private slots:
    void initTestCase()
    {
        // As tst_chat_window: settings and conversations in this run's
        // folder (XDG_DATA_HOME per theme), so the sidebar holds this test's chat alone.
        test::setUpUiTests();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));

        // Six blocks and the output: seven layers to split.
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        spec.config.blockCount = 6;
        spec.mix = QuantMix::Q8_0;
        m_model = m_dir.filePath("tiny-split-r1.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));

        // The GPU's free memory: what the part with the last three blocks
        // and the output needs, so four of the seven layers fit it.
        auto instance = vk::Instance::create();
        QVERIFY(instance);
        const auto adapters = vk::listAdapters(**instance);
        const auto picked = vk::pickAdapter(adapters, "");
        QVERIFY(picked);
        m_gpuName = QString::fromStdString(adapters[*picked].name);
        auto file = ModelFile::open(m_model.toStdString());
        QVERIFY(file);
        PlanOptions options = app::fitPlanOptions(1024);
        options.part = ModelPart{.firstLayer = 3, .endLayer = 6, .embedding = false, .output = true};
        const auto part = planMemory((*file)->info(), options, deviceLimits(adapters[*picked]));
        QVERIFY(part);
        qputenv(app::kGpuFreeBytesCapVariable,
                QByteArray::number(qulonglong(deviceBytesNeeded(*part, adapters[*picked].type))));
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void cleanupTestCase() { qunsetenv(app::kGpuFreeBytesCapVariable); }

    void cleanup()
    {
        const QStringList warnings = m_warnings->take();
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }

    void loadsSplitAndChats_data() { test::themeRows(); }

    void loadsSplitAndChats()
    {
        QFETCH(bool, dark);
        qputenv("XDG_DATA_HOME", m_dir.filePath(dark ? "data-dark" : "data-light").toUtf8());
        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        QVERIFY(test::setTheme(engine, dark));
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        auto* chat = window->findChild<ChatController*>();
        QVERIFY(chat);
        // lavapipe, the chosen GPU, for the chat and the status line alike.
        auto* gpu = window->findChild<app::GpuSelector*>();
        QVERIFY(gpu);
        gpu->setPreference(QStringLiteral("vulkan"));
        QCOMPARE(chat->device(), QStringLiteral("vulkan"));
        QTRY_VERIFY_WITH_TIMEOUT(!gpu->probing(), 30000);
        QCOMPARE(gpu->deviceName(), m_gpuName);
        QCOMPARE(gpu->freeMemory(), qgetenv(app::kGpuFreeBytesCapVariable).toLongLong());
        chat->settings()->setSeed(7);
        chat->settings()->setMaxTokens(24);
        chat->settings()->setContextLength(1024);

        chat->openModel(QUrl::fromLocalFile(m_model).toString());
        QTRY_VERIFY_WITH_TIMEOUT(!chat->loading(), 60000);
        QVERIFY2(chat->modelLoaded(), qPrintable(chat->errorString()));
        const QVariantMap info = chat->modelInfo();
        QVERIFY(info["split"].toBool());
        QCOMPARE(info["gpuLayers"].toUInt(), 4u);

        // The status line: where the layers went, and each device's memory.
        const auto label = test::findByObjectName(window->contentItem(), "modelLabel");
        QCOMPARE(label.size(), 1);
        const QString status = label[0]->property("text").toString();
        QVERIFY2(status.contains(QStringLiteral("Split: 4 of 7 layers on %1, 3 on the CPU · ").arg(m_gpuName)) &&
                     status.contains(" + "),
                 qPrintable(status));

        // A conversation by keyboard, answered by the split model.
        QTest::keyClick(window, Qt::Key_N, Qt::ControlModifier);
        test::typeText(window, "Where do your layers run?");
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(chat->generating());
        QTRY_VERIFY_WITH_TIMEOUT(!chat->generating(), 60000);
        const int rows = chat->messages()->rowCount();
        QCOMPARE(rows, 2);
        const QModelIndex answer = chat->messages()->index(rows - 1);
        QCOMPARE(answer.data(MessageListModel::StatusRole).toString(), QStringLiteral("complete"));
        QVERIFY(answer.data(MessageListModel::GeneratedTokensRole).toInt() > 0);
        QVERIFY(chat->modelLoaded());

        QVERIFY(!test::saveScreenshot(window, dark ? QStringLiteral("chat_split_dark") : QStringLiteral("chat_split_light"))
                     .isEmpty());
    }
};

QTEST_MAIN(TestSplitChat)
#include "tst_split_chat.moc"
