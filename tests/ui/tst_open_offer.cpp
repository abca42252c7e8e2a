// A file handed over by a second launch (app/shell/single_instance.h) in
// the real window, offscreen: the window offers to load it ("Load MODEL?",
// Load / Cancel), says when the current chat's model would be unloaded,
// shows the outside file name as plain text, loads on Load and keeps the
// current model on Cancel; a file that is no model never reaches the window.
#include <QtTest>

#include <QQmlApplicationEngine>

#include <future>

#include "app_setup.h"
#include "chat_controller.h"
#include "model_generator.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "single_instance.h"

using namespace ponder;
using app::SingleInstance;

class TestOpenOffer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<test::QmlWarningGuard> m_warnings;

    QString writeModel(const QString& name)
    {
        const QString path = m_dir.filePath(name);
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2, 320);
        spec.mix = QuantMix::Q4_K_M;
        const auto written = testing::writeModel(path.toStdString(), spec, 2);
        if (!written)
            qFatal("%s", written.error().message.c_str());
        return path;
    }
    // handOff() blocks; the window's event loop must turn meanwhile.
    static std::optional<SingleInstance::HandOff> handOff(const QString& name, const QString& file)
    {
        auto future = std::async(std::launch::async, [name, file] { return SingleInstance::handOff(name, file); });
        QElapsedTimer clock;
        clock.start();
        while (future.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready && clock.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return future.get();
    }
    static QQuickItem* find(QQuickItem* root, const char* name)
    {
        const auto items = test::findByObjectName(root, QString::fromLatin1(name));
        return items.isEmpty() ? nullptr : items.first();
    }
    static void click(QQuickWindow* window, QQuickItem* item)
    {
        QVERIFY(item && item->isVisible());
        QTest::mouseClick(window, Qt::LeftButton, {}, item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    }

private slots:
    void initTestCase()
    {
        test::setUpUiTests();
        QVERIFY(m_dir.isValid());
        m_warnings = std::make_unique<test::QmlWarningGuard>();
    }

    void offersTheHandedFile()
    {
        const QString first = writeModel(QStringLiteral("first-model.gguf"));
        const QString hostile = writeModel(QStringLiteral("<b>bold<i> & <img src=x>.gguf"));
        const QString script = m_dir.filePath(QStringLiteral("script.gguf"));
        {
            QFile file(script);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("#!/bin/sh\n");
        }

        QQmlApplicationEngine engine;
        app::setUpEngine(engine);
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window && QTest::qWaitForWindowExposed(window));
        auto* chat = window->findChild<app::ChatController*>(QStringLiteral("chatController"));
        auto* dialog = window->findChild<QObject*>(QStringLiteral("openOfferDialog"));
        QVERIFY(chat && dialog);

        SingleInstance instance(m_dir.filePath(QStringLiteral("ponder.socket")));
        QVERIFY2(instance.listen(), qPrintable(instance.errorString()));
        window->setProperty("singleInstance", QVariant::fromValue<QObject*>(&instance));

        // A file that is no model is refused before the window sees it.
        const auto refused = handOff(instance.serverName(), script);
        QVERIFY(refused && !refused->accepted);
        QTest::qWait(100);
        QVERIFY(!dialog->property("visible").toBool());

        // Nothing loaded: the offer, and Load opens it.
        const auto handed = handOff(instance.serverName(), first);
        QVERIFY(handed && handed->accepted);
        QTRY_VERIFY(dialog->property("opened").toBool());
        QVERIFY(window->isActive());
        auto* content = dialog->property("contentItem").value<QQuickItem*>();
        auto* header = dialog->property("header").value<QQuickItem*>();
        auto* footer = dialog->property("footer").value<QQuickItem*>();
        QVERIFY(content && header && footer);
        QCOMPARE(header->property("text").toString(), QStringLiteral("Load first-model.gguf?"));
        QCOMPARE(find(content, "openOfferPath")->property("text").toString(), first);
        QVERIFY(!find(content, "openOfferUnload")->property("text").toString().contains(QStringLiteral("unloaded")));
        QVERIFY(!test::saveScreenshot(window, QStringLiteral("open_offer")).isEmpty());
        click(window, find(footer, "openOfferLoad"));
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), 60000);
        const QString loadedName = chat->modelName();

        // A model loaded: the offer says it would be unloaded; the outside
        // name stays text; Cancel keeps the current model.
        QVERIFY(handOff(instance.serverName(), hostile).value().accepted);
        QTRY_VERIFY(dialog->property("opened").toBool());
        QCOMPARE(header->property("text").toString(), QStringLiteral("Load <b>bold<i> & <img src=x>.gguf?"));
        QCOMPARE(header->property("textFormat").toInt(), int(Qt::PlainText));
        const QString unload = find(content, "openOfferUnload")->property("text").toString();
        QVERIFY2(unload.contains(QStringLiteral("will be unloaded")) && unload.contains(loadedName), qPrintable(unload));
        QVERIFY(!test::saveScreenshot(window, QStringLiteral("open_offer_loaded")).isEmpty());
        click(window, find(footer, "openOfferCancel"));
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QTest::qWait(200);
        QVERIFY(!chat->loading());
        QCOMPARE(chat->modelName(), loadedName);

        // The offscreen platform has no stacking to raise a window in (xcb
        // and Wayland do); it says so once per raise(). Anything else fails.
        QStringList warnings = m_warnings->take();
        QCOMPARE(warnings.removeAll(QStringLiteral("[default] This plugin does not support raise()")), 2);
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
    }
};

QTEST_MAIN(TestOpenOffer)
#include "tst_open_offer.moc"
