#include "chat_settings.h"

#include <QFile>
#include <QUrl>

#include <QSettings>

#include <algorithm>
#include <memory>
#include <utility>
#include <limits>

#include "key_file.h"
#include "secret_store.h"
#include "openai_client.h"

namespace ponder::app {
namespace {


QString key(const char* name)
{
    return QStringLiteral("chat/") + QString::fromLatin1(name);
}

} // namespace

ChatSettings::ChatSettings(QObject* parent) : QObject(parent), m_secrets(new SecretStore({}, {}, this))
{
    connect(m_secrets, &SecretStore::placeChanged, this, &ChatSettings::changed);
    load();
}

QString ChatSettings::mathInstruction()
{
    return QStringLiteral("Please reason step by step, and put your final answer within \\boxed{}.");
}

// Reads through the setters, so a hand-edited file is clamped like user input.
void ChatSettings::load()
{
    const QSettings settings;
    auto value = [&settings](const char* name, const QVariant& fallback) { return settings.value(key(name), fallback); };
    const QSignalBlocker blocker(this);
    setTemperature(value("temperature", kDefaultTemperature).toDouble());
    setTopP(value("topP", kDefaultTopP).toDouble());
    setTopK(value("topK", 0).toInt());
    setMinP(value("minP", 0.0).toDouble());
    setRepetitionPenalty(value("repetitionPenalty", 1.0).toDouble());
    setMaxTokens(value("maxTokens", kDefaultMaxTokens).toInt());
    setThinkingBudget(value("thinkingBudget", 0).toInt());
    setContextLength(value("contextLength", kDefaultContextLength).toInt());
    setCpuThreads(value("cpuThreads", 0).toInt());
    setGpuLayers(value("gpuLayers", -1).toInt());
    setExtraGpus(parseGpuList(value("extraGpus", QString()).toString()));
    setSplitShares(value("splitShares", QString()).toString());
    setKvCacheType(value("kvCacheType", QStringLiteral("f16")).toString());
    setSeed(value("seed", 0).toLongLong());
    setMath(value("math", false).toBool());
    setSystemPrompt(value("systemPrompt", QString()).toString());
    setTheme(value("theme", QStringLiteral("system")).toString());
    setLanguage(savedLanguage());
    setModelsFolder(value("modelsFolder", QString()).toString());
    m_serverLogin = KeyFile::serverLogin().read();
    // An older Ponder kept user:password@ in the address: this moves it to its file.
    setServerUrl(value("serverUrl", QString()).toString());
    setServerModel(value("serverModel", QString()).toString());
    loadServerApiKey();
    setServeEnabled(value("serveEnabled", false).toBool());
    setServePort(value("servePort", kDefaultServePort).toInt());
    m_serveApiKey = KeyFile::serveApiKey().read();
    // The files read above are only those from before a keyring (or from a
    // machine without one); where a keyring may answer they move into it now,
    // and the keys it holds are read when first needed (loadSecrets).
    m_secretsLoaded = !SecretStore::keyringPossible();
    if (!m_secretsLoaded)
        for (const char* name : {kServerApiKeyName, kServerLoginName, kServeApiKeyName})
            if (QFile::exists(m_secrets->filePath(QLatin1String(name))))
                m_secrets->migrate(QLatin1String(name), [this, name](bool moved) {
                    if (moved)
                        markSavedInKeyring(name, true);
                });
}

// From its own file; a key an older Ponder left in the settings file moves there.
void ChatSettings::loadServerApiKey()
{
    QSettings settings;
    const QString legacy = settings.value(key("serverApiKey")).toString().trimmed();
    if (legacy.isEmpty()) {
        m_serverApiKey = KeyFile::serverApiKey().read();
        return;
    }
    settings.remove(key("serverApiKey"));
    setServerApiKey(legacy);
}

template <typename T>
void ChatSettings::update(T& member, T value, const char* name)
{
    if (member == value)
        return;
    member = value;
    QSettings().setValue(key(name), QVariant::fromValue(value));
    emit changed();
}

void ChatSettings::setTemperature(double value)
{
    update(m_temperature, std::clamp(value, 0.0, 2.0), "temperature");
}

bool ChatSettings::temperatureAdvised() const
{
    // Within a hair of the bounds: the slider's steps are decimal fractions.
    return m_temperature >= kAdvisedMinTemperature - 1e-9 && m_temperature <= kAdvisedMaxTemperature + 1e-9;
}

void ChatSettings::setThinkingBudget(int value)
{
    update(m_thinkingBudget, value <= 0 ? 0 : std::clamp(value, kMinThinkingBudget, kMaxThinkingBudget),
           "thinkingBudget");
}

void ChatSettings::setTopP(double value)
{
    update(m_topP, std::clamp(value, 0.0, 1.0), "topP");
}

void ChatSettings::setTopK(int value)
{
    update(m_topK, std::max(value, 0), "topK");
}

void ChatSettings::setMinP(double value)
{
    update(m_minP, std::clamp(value, 0.0, 1.0), "minP");
}

void ChatSettings::setRepetitionPenalty(double value)
{
    update(m_repetitionPenalty, std::clamp(value, 1.0, 2.0), "repetitionPenalty");
}

void ChatSettings::setMaxTokens(int value)
{
    update(m_maxTokens, std::clamp(value, 1, kMaxContextLength), "maxTokens");
}

void ChatSettings::setContextLength(int value)
{
    update(m_contextLength, std::clamp(value, 256, kMaxContextLength), "contextLength");
}

void ChatSettings::setCpuThreads(int value)
{
    update(m_cpuThreads, std::clamp(value, 0, kMaxCpuThreads), "cpuThreads");
}

void ChatSettings::setGpuLayers(int value)
{
    update(m_gpuLayers, std::clamp(value, -1, kMaxGpuLayers), "gpuLayers");
}

void ChatSettings::setExtraGpus(const QList<int>& value)
{
    // Kept as text ("1,3"), which parseGpuList reads back without repeats or negatives.
    const QList<int> gpus = parseGpuList(gpuListText(value));
    if (gpus == m_extraGpus)
        return;
    m_extraGpus = gpus;
    QSettings().setValue(key("extraGpus"), gpuListText(gpus));
    emit changed();
}

void ChatSettings::setGpuTakesPart(int index, bool takesPart)
{
    QList<int> gpus = m_extraGpus;
    gpus.removeAll(index);
    if (takesPart)
        gpus << index;
    std::sort(gpus.begin(), gpus.end());
    setExtraGpus(gpus);
}

// Text that is not a list of shares is not kept: the load would refuse it.
void ChatSettings::setSplitShares(const QString& value)
{
    if (parseSplitShares(value))
        update(m_splitShares, value.simplified(), "splitShares");
}

void ChatSettings::setKvCacheType(const QString& value)
{
    const auto type = kvCacheTypeFromName(value.toStdString());
    // F32 is for tests and the reference: the settings offer f16 and q8_0.
    const bool offered = type == KvCacheType::F16 || type == KvCacheType::Q8_0;
    update(m_kvCacheType, QString::fromLatin1(kvCacheTypeName(offered ? *type : KvCacheType::F16)), "kvCacheType");
}

PlacementSettings ChatSettings::placementSettings() const
{
    PlacementSettings placement;
    if (m_gpuLayers >= 0)
        placement.gpuLayers = uint32_t(m_gpuLayers);
    placement.extraGpus = m_extraGpus;
    placement.shares = m_splitShares;
    placement.kvType = kvCacheTypeFromName(m_kvCacheType.toStdString()).value_or(KvCacheType::F16);
    return placement;
}

void ChatSettings::setSeed(qint64 value)
{
    update(m_seed, std::clamp<qint64>(value, 0, std::numeric_limits<qint32>::max()), "seed");
}

void ChatSettings::setMath(bool value)
{
    update(m_math, value, "math");
}

void ChatSettings::setSystemPrompt(const QString& value)
{
    update(m_systemPrompt, value, "systemPrompt");
}

void ChatSettings::setTheme(const QString& value)
{
    const bool known = value == QLatin1String("light") || value == QLatin1String("dark");
    update(m_theme, known ? value : QStringLiteral("system"), "theme");
}

void ChatSettings::setLanguage(const QString& value)
{
    const bool known =
        value == QLatin1String("en") || value == QLatin1String("zh_TW") || value == QLatin1String("zh_CN");
    update(m_language, known ? value : QStringLiteral("system"), "language");
}

QString ChatSettings::savedLanguage()
{
    return QSettings().value(key("language"), QStringLiteral("system")).toString();
}

void ChatSettings::setModelsFolder(const QString& value)
{
    // A folder chosen in a dialog arrives as a file:// URL.
    const QUrl url(value);
    update(m_modelsFolder, url.isLocalFile() ? url.toLocalFile() : value, "modelsFolder");
}

// The settings file is not private (QSettings writes it with the default
// permissions), so a password in the address goes to a key file instead.
void ChatSettings::setServerUrl(const QString& value)
{
    const QUrl url = QUrl::fromUserInput(value.trimmed());
    // The key and the login were given for the saved address: another
    // origin must not inherit them (ChatController sends them to this one).
    if (!m_serverUrl.isEmpty() && !isServerUrl(value))
        forgetServerCredentials();
    if (!url.userInfo().isEmpty()) {
        setServerLogin(url.userInfo(QUrl::FullyEncoded));
        update(m_serverUrl, url.adjusted(QUrl::RemoveUserInfo).toString(), "serverUrl");
        return;
    }
    update(m_serverUrl, value.trimmed(), "serverUrl");
}

bool ChatSettings::isServerUrl(const QString& address) const
{
    return !m_serverUrl.isEmpty() && !address.trimmed().isEmpty() &&
           sameOrigin(QUrl::fromUserInput(address.trimmed()), QUrl::fromUserInput(m_serverUrl));
}

void ChatSettings::forgetServerCredentials()
{
    setServerApiKey(QString());
    setServerLogin(QString());
}

void ChatSettings::setServerModel(const QString& value)
{
    update(m_serverModel, value.trimmed(), "serverModel");
}

// A key that cannot be saved privately is not saved at all: it serves this
// session, and serverKeyError tells the user why it will not be remembered.
void ChatSettings::setServerApiKey(const QString& value)
{
    saveSecret(m_serverApiKey, value.trimmed(), kServerApiKeyName);
}

void ChatSettings::setServerLogin(const QString& value)
{
    saveSecret(m_serverLogin, value, kServerLoginName);
}

void ChatSettings::setServeEnabled(bool value)
{
    update(m_serveEnabled, value, "serveEnabled");
}

void ChatSettings::setServePort(int value)
{
    update(m_servePort, std::clamp(value, 0, 65535), "servePort");
}

void ChatSettings::setServeApiKey(const QString& value)
{
    saveSecret(m_serveApiKey, value.trimmed(), kServeApiKeyName);
}

void ChatSettings::resetToDefaults()
{
    setTemperature(kDefaultTemperature);
    setTopP(kDefaultTopP);
    setTopK(0);
    setMinP(0.0);
    setRepetitionPenalty(1.0);
    setMaxTokens(kDefaultMaxTokens);
    setThinkingBudget(0);
    setContextLength(kDefaultContextLength);
    setCpuThreads(0);
    setGpuLayers(-1);
    setExtraGpus({});
    setSplitShares(QString());
    setKvCacheType(QStringLiteral("f16"));
    setSeed(0);
    setMath(false);
    setSystemPrompt(QString());
    setTheme(QStringLiteral("system"));
}

GenerationSettings ChatSettings::generationSettings(quint64 randomSeed) const
{
    GenerationSettings settings;
    settings.sampler.temperature = float(m_temperature);
    settings.sampler.topP = float(m_topP);
    settings.sampler.topK = m_topK;
    settings.sampler.minP = float(m_minP);
    settings.sampler.repetitionPenalty = float(m_repetitionPenalty);
    settings.sampler.seed = m_seed > 0 ? quint64(m_seed) : randomSeed;
    settings.sampler.greedy = m_temperature <= 0.0;
    settings.maxTokens = m_maxTokens;
    settings.thinkingBudget = m_thinkingBudget;
    return settings;
}

QJsonObject ChatSettings::toJson() const
{
    return QJsonObject{{QStringLiteral("temperature"), m_temperature},
                       {QStringLiteral("topP"), m_topP},
                       {QStringLiteral("topK"), m_topK},
                       {QStringLiteral("minP"), m_minP},
                       {QStringLiteral("repetitionPenalty"), m_repetitionPenalty},
                       {QStringLiteral("maxTokens"), m_maxTokens},
                       {QStringLiteral("thinkingBudget"), m_thinkingBudget},
                       {QStringLiteral("contextLength"), m_contextLength},
                       {QStringLiteral("seed"), m_seed},
                       {QStringLiteral("math"), m_math},
                       {QStringLiteral("systemPrompt"), m_systemPrompt}};
}

} // namespace ponder::app
