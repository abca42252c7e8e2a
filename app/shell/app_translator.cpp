#include "app_translator.h"

#include <QCoreApplication>
#include <QFontDatabase>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QQmlEngine>

#include "chat_settings.h"

Q_LOGGING_CATEGORY(lcTranslation, "ponder.translation")

namespace ponder::app {

QString translationFor(const QString& setting, const QLocale& system)
{
    if (setting == QLatin1String("zh_TW") || setting == QLatin1String("zh_CN"))
        return setting;
    if (setting == QLatin1String("en") || system.language() != QLocale::Chinese)
        return {};
    // QLocale fills in the likely script ("zh_TW" is Hant), so the
    // territory decides only where the script says nothing.
    switch (system.script()) {
    case QLocale::TraditionalChineseScript: return QStringLiteral("zh_TW");
    case QLocale::SimplifiedChineseScript: return QStringLiteral("zh_CN");
    default: break;
    }
    switch (system.territory()) {
    case QLocale::Taiwan:
    case QLocale::HongKong:
    case QLocale::Macao: return QStringLiteral("zh_TW");
    default: return QStringLiteral("zh_CN");
    }
}

namespace {

// fonts-noto-cjk's families for the two scripts.
const QString kTraditionalHan = QStringLiteral("Noto Sans CJK TC");
const QString kSimplifiedHan = QStringLiteral("Noto Sans CJK SC");

// Han characters come from a fallback font, which fontconfig picks by the
// system's language: Chinese chosen on an English desktop would be drawn
// in Noto Sans CJK JP's forms. The application font names the script's
// family after its own, so Han characters take that one.
void preferHanFamily(const QString& language)
{
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return;
    QFont font = QGuiApplication::font();
    QStringList others = font.families();
    others.removeAll(kTraditionalHan);
    others.removeAll(kSimplifiedHan);
    // First the family the font resolves to: an alias such as "Sans Serif"
    // is skipped in a list, and the Latin text would take the CJK font too.
    QFont plain = font;
    plain.setFamilies(others);
    const QString resolved = QFontInfo(plain).family();
    others.removeAll(resolved);
    QStringList families{resolved};
    const QString han = language == QLatin1String("zh_TW") ? kTraditionalHan : kSimplifiedHan;
    if (!language.isEmpty() && QFontDatabase::hasFamily(han))
        families << han;
    families << others;
    if (families == font.families())
        return;
    font.setFamilies(families);
    QGuiApplication::setFont(font);
}

} // namespace

QString translationResource(const QString& language)
{
    return QStringLiteral(":/i18n/ponder_%1.qm").arg(language);
}

AppTranslator::AppTranslator(QObject* parent) : QObject(parent) {}

AppTranslator::~AppTranslator()
{
    removeTranslators();
}

void AppTranslator::removeTranslators()
{
    QCoreApplication::removeTranslator(&m_ponder);
    QCoreApplication::removeTranslator(&m_qt);
}

bool AppTranslator::use(const QString& setting)
{
    const QString language = translationFor(setting);
    removeTranslators();
    m_language.clear();
    preferHanFamily(language);
    if (language.isEmpty())
        return true;
    if (!m_ponder.load(translationResource(language))) {
        qCWarning(lcTranslation) << "cannot load" << translationResource(language);
        return false;
    }
    // Qt's own (qt6-translations-l10n): the standard buttons of dialogs.
    // Optional: without them those few buttons stay English.
    if (m_qt.load(QLocale(language), QStringLiteral("qt"), QStringLiteral("_"),
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    QCoreApplication::installTranslator(&m_ponder);
    m_language = language;
    return true;
}

void AppTranslator::follow(ChatSettings& settings, QQmlEngine& engine)
{
    m_followedSetting = settings.language();
    m_engine = &engine;
    connect(&settings, &ChatSettings::changed, this, [this, &settings] {
        if (settings.language() == m_followedSetting)
            return;
        m_followedSetting = settings.language();
        use(m_followedSetting);
        if (m_engine)
            m_engine->retranslate();
    });
}

} // namespace ponder::app
