// The chat window the chat suites share (tst_chat_window, tst_chat_thinking,
// tst_chat_server): the real main window, offscreen, over a generated model,
// with a network guard and a QML warning guard; each suite runs its steps
// in one window per theme, the light pass on the Vulkan engine (lavapipe in
// CI), the dark one on the native CPU engine. A scripted backend stands in
// for the model where an answer must be the same every time.
#pragma once

#include <QtTest>

#include <QPointer>
#include <QQmlApplicationEngine>
#include <QSettings>

#include <initializer_list>
#include <memory>

#include "app_setup.h"
#include "chat_controller.h"
#include "model_generator.h"
#include "qml_warning_guard.h"
#include "quick_helpers.h"
#include "recording_network.h"
#include "scripted_backend.h"

namespace {

QVariant role(ponder::app::ChatController* chat, int row, int role)
{
    return chat->messages()->data(chat->messages()->index(row), role);
}

} // namespace

namespace ponder::test {

class ChatWindowFixture {
protected:
    QTemporaryDir m_dir;
    QString m_model;
    std::unique_ptr<QmlWarningGuard> m_warnings;
    RecordingNetworkFactory m_network;
    QPointer<ScriptedBackend> m_script;
    QQuickWindow* m_window = nullptr;
    app::ChatController* m_chat = nullptr;

    // For initTestCase(): the UI suites' set-up, settings in this run's
    // folder, the generated model, the warning guard.
    void setUpFixture()
    {
        setUpUiTests();
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath("config"));
        testing::ModelSpec spec;
        spec.config = testing::tinyConfig(Architecture::Qwen2);
        m_model = m_dir.filePath("tiny-r1.gguf");
        QVERIFY(testing::writeModel(m_model.toStdString(), spec, 2));
        m_warnings = std::make_unique<QmlWarningGuard>();
    }

    // Loads the main window into `engine` in the theme `dark` names, with
    // conversations of the theme's own, and waits until it is active.
    void openWindow(QQmlApplicationEngine& engine, bool dark)
    {
        const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        qputenv("XDG_DATA_HOME", m_dir.filePath("data-" + theme).toUtf8());
        app::setUpEngine(engine);
        engine.setNetworkAccessManagerFactory(&m_network);
        QVERIFY(setTheme(engine, dark));
        engine.load(app::mainQmlUrl());
        QCOMPARE(engine.rootObjects().size(), 1);
        m_window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(m_window);
        m_window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        m_chat = m_window->findChild<app::ChatController*>();
        QVERIFY(m_chat);
        QVERIFY2(m_chat->store()->isOpen(), qPrintable(m_chat->store()->errorString()));
        m_chat->setDevice(dark ? QStringLiteral("cpu") : QStringLiteral("vulkan"));
        m_chat->settings()->setSeed(7);
        m_chat->settings()->setMaxTokens(40);
        m_chat->settings()->setContextLength(1024);
    }

    // Runs `steps` of `suite` in order, each after the one before passed and
    // left no QML warning.
    template <class Suite>
    void runSteps(Suite* suite, std::initializer_list<void (Suite::*)(const QString&)> steps, const QString& theme)
    {
        for (auto step : steps) {
            (suite->*step)(theme);
            if (QTest::currentTestFailed())
                return;
            const QStringList warnings = m_warnings->take();
            QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join('\n')));
        }
    }

    // The backend the scripted steps play, in place of the model in use.
    ScriptedBackend* script()
    {
        if (!m_script) {
            auto backend = std::make_unique<ScriptedBackend>(m_chat->modelInfo());
            m_script = backend.get();
            m_chat->useBackend(std::move(backend));
        }
        return m_script;
    }

    // Sends `text` to the scripted backend: the answer is what the test emits.
    bool sendScripted(const QString& text)
    {
        script();
        return m_chat->send(text);
    }

    QQuickItem* focusItem() const { return m_window->activeFocusItem(); }
    // Whether a visible text item (a tooltip's too: the overlay is below the content item) shows `part`.
    bool shownText(const QString& part) const
    {
        return !findItems(m_window->contentItem(), [&](QQuickItem* item) {
                    return item->isVisible() && item->inherits("QQuickText") &&
                           item->property("text").toString().contains(part);
                }).isEmpty();
    }
    int rows() const { return m_chat->messages()->rowCount(); }
    QString last(int role) const { return ::role(m_chat, rows() - 1, role).toString(); }
};

} // namespace ponder::test
