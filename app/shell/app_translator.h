// The language of the user interface: Ponder's own translations
// (resources/translations/ponder_<language>.ts, compiled and embedded at
// :/i18n/) and Qt's for the standard dialogs' buttons, chosen by the
// Language setting or, by default, by the system's locale.
#pragma once

#include <QLocale>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTranslator>

class QQmlEngine;

namespace ponder::app {

class ChatSettings;

// The translation a Language setting asks for: "zh_TW" or "zh_CN", or empty
// for English (the source text). `setting` is "en", "zh_TW", "zh_CN", or
// "system" (anything else counts as "system"): then the system's Chinese
// decides by its script or, without one, its territory (Taiwan, Hong Kong and
// Macau read Traditional; mainland China and Singapore Simplified).
QString translationFor(const QString& setting, const QLocale& system = QLocale::system());

// The resource path of Ponder's compiled translation `language` ("zh_TW").
QString translationResource(const QString& language);

// Owns the installed translators: one at a time, replaced when the language changes.
class AppTranslator : public QObject {
    Q_OBJECT

public:
    explicit AppTranslator(QObject* parent = nullptr);
    ~AppTranslator() override;

    // Installs the translation `setting` asks for (translationFor), in place
    // of the one before. False when Ponder's translation could not be loaded:
    // the text stays English.
    bool use(const QString& setting);
    // "zh_TW", "zh_CN", or empty for English.
    QString language() const { return m_language; }

    // From now on a change of `settings`' language is applied at once and
    // `engine`'s qsTr() bindings are evaluated again. The language in use
    // until then (from the command line, say) stays until the setting changes.
    void follow(ChatSettings& settings, QQmlEngine& engine);

private:
    void removeTranslators();

    QTranslator m_ponder;
    QTranslator m_qt;
    QString m_language;
    QString m_followedSetting;
    QPointer<QQmlEngine> m_engine;
};

} // namespace ponder::app
