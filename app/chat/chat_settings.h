// The chat's generation settings, persisted with QSettings under "chat/".
// Defaults follow DeepSeek's usage recommendations for R1 (the model card;
// ../shared/FORMATS.md): temperature 0.6 (0.5–0.7 advised), top-p 0.95, no
// system prompt (instructions go in the user's turn), for math the
// step-by-step and \boxed{} instruction (math), and the answer starting
// inside "<think>\n" (the engine's R1 template pre-fills it). Every setter
// clamps its value to a usable range and saves it at once.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

#include "chat_backend.h"
#include "placement_settings.h"

namespace ponder::app {

class KeyFile;
class SecretStore;

class ChatSettings : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// Sampling temperature, 0..2; 0 picks the most likely token (greedy).
    Q_PROPERTY(double temperature READ temperature WRITE setTemperature NOTIFY changed)
    /// Nucleus sampling: the smallest set of tokens whose probability reaches this, 0..1 (1 = off).
    Q_PROPERTY(double topP READ topP WRITE setTopP NOTIFY changed)
    /// Only the k most likely tokens; 0 = off.
    Q_PROPERTY(int topK READ topK WRITE setTopK NOTIFY changed)
    /// Drops tokens less likely than this fraction of the most likely one, 0..1 (0 = off).
    Q_PROPERTY(double minP READ minP WRITE setMinP NOTIFY changed)
    /// Penalty for repeating earlier tokens, 1..2 (1 = off).
    Q_PROPERTY(double repetitionPenalty READ repetitionPenalty WRITE setRepetitionPenalty NOTIFY changed)
    /// Whether temperature lies in DeepSeek's advised 0.5–0.7 for R1 (outside it R1 tends to repeat itself or ramble).
    Q_PROPERTY(bool temperatureAdvised READ temperatureAdvised NOTIFY changed)
    /// Reasoning tokens after which the reasoning is ended and the model answers, 256..32768; 0 = no limit.
    /// The engine on this machine only: a server cannot be told.
    Q_PROPERTY(int thinkingBudget READ thinkingBudget WRITE setThinkingBudget NOTIFY changed)
    /// The bounds of thinkingBudget when it is on, in tokens.
    Q_PROPERTY(int minThinkingBudget READ minThinkingBudget CONSTANT)
    Q_PROPERTY(int maxThinkingBudget READ maxThinkingBudget CONSTANT)
    /// Most tokens in one answer, reasoning included.
    Q_PROPERTY(int maxTokens READ maxTokens WRITE setMaxTokens NOTIFY changed)
    /// Context length in tokens the model is opened with; applies when a model is opened.
    Q_PROPERTY(int contextLength READ contextLength WRITE setContextLength NOTIFY changed)
    /// Threads the CPU engine computes with, 0..256; 0 = one per physical core. Applies when a model is opened.
    Q_PROPERTY(int cpuThreads READ cpuThreads WRITE setCpuThreads NOTIFY changed)
    /// Layers on the GPU, the output counting as one ("30 of 49"), -1..1024; -1 = automatic: the whole
    /// model when the GPU holds it, else as many layers as fit, the rest on the CPU. Applies when a model is opened.
    Q_PROPERTY(int gpuLayers READ gpuLayers WRITE setGpuLayers NOTIFY changed)
    /// Vulkan indices of the GPUs that take part beside the chosen device; empty = the chosen one alone.
    /// Applies when a model is opened.
    Q_PROPERTY(QList<int> extraGpus READ extraGpus WRITE setExtraGpus NOTIFY changed)
    /// The GPUs' shares of the layers in Vulkan order, "8,6,6,6"; empty = by their free memory.
    /// Only text that parses is kept (parseSplitShares).
    Q_PROPERTY(QString splitShares READ splitShares WRITE setSplitShares NOTIFY changed)
    /// Element type of the KV cache: "f16" or "q8_0" (half the memory, 8-bit keys and values). Applies when a model is opened.
    Q_PROPERTY(QString kvCacheType READ kvCacheType WRITE setKvCacheType NOTIFY changed)
    /// Random seed, 0..2^31-1; 0 = a new random seed for every answer.
    Q_PROPERTY(qint64 seed READ seed WRITE setSeed NOTIFY changed)
    /// Adds DeepSeek's step-by-step and \boxed{} instruction to the user's turns.
    Q_PROPERTY(bool math READ math WRITE setMath NOTIFY changed)
    /// System prompt; empty (DeepSeek's advice) sends none.
    Q_PROPERTY(QString systemPrompt READ systemPrompt WRITE setSystemPrompt NOTIFY changed)
    /// Where downloaded models go; empty for the default (DownloadManager::defaultModelsFolder).
    /// Not touched by resetToDefaults(): it is where files are, not how answers are made.
    Q_PROPERTY(QString modelsFolder READ modelsFolder WRITE setModelsFolder NOTIFY changed)
    /// The last OpenAI-compatible server used (ChatController::connectServer):
    /// its address, without the user:password@ it may have carried, and its
    /// model. Not touched by resetToDefaults(). Its API key and user:password
    /// are kept in files of their own, readable by the user's account only
    /// (KeyFile), never in the settings file, and belong to this address:
    /// saving an address of another origin forgets them, and QML never reads them.
    Q_PROPERTY(QString serverUrl READ serverUrl WRITE setServerUrl NOTIFY changed)
    Q_PROPERTY(QString serverModel READ serverModel WRITE setServerModel NOTIFY changed)
    /// True when an API key is saved for serverUrl.
    Q_PROPERTY(bool hasServerApiKey READ hasServerApiKey NOTIFY changed)
    /// True when a user:password is saved for serverUrl.
    Q_PROPERTY(bool hasServerLogin READ hasServerLogin NOTIFY changed)
    /// Where the keys are kept: "Stored in the system keyring", or "Stored in FOLDER (no keyring
    /// found)"; empty until a keyring answered or was found missing (SecretStore).
    Q_PROPERTY(QString secretsWhere READ secretsWhere NOTIFY changed)
    /// True when the keys are in the system keyring.
    Q_PROPERTY(bool secretsInKeyring READ secretsInKeyring NOTIFY changed)
    /// Why the API key or user:password could not be saved (it is then used this session only); empty when it was.
    Q_PROPERTY(QString serverKeyError READ serverKeyError NOTIFY changed)
    /// The most the token settings (maxTokens, contextLength) go to, in tokens.
    Q_PROPERTY(int maxContextLength READ maxContextLength CONSTANT)
    /// Serve the open model (on this machine) over the OpenAI-compatible API
    /// while the app runs (ModelServer). Off by default; not touched by resetToDefaults().
    Q_PROPERTY(bool serveEnabled READ serveEnabled WRITE setServeEnabled NOTIFY changed)
    /// The port it listens on, 0..65535, on 127.0.0.1 only (0: any free port, for tests).
    Q_PROPERTY(int servePort READ servePort WRITE setServePort NOTIFY changed)
    /// True when an API key is saved for it; the key itself stays in C++ (a
    /// file of its own, as the server key: KeyFile::serveApiKey).
    Q_PROPERTY(bool hasServeApiKey READ hasServeApiKey NOTIFY changed)
    /// Colour theme: "system", "light" or "dark".
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY changed)
    /// Language of the user interface: "system" (the system's locale), "en", "zh_TW" or "zh_CN".
    /// Not touched by resetToDefaults(): a user who chose a language may not read the others.
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY changed)

public:
    static constexpr double kDefaultTemperature = 0.6;
    static constexpr double kDefaultTopP = 0.95;
    static constexpr double kAdvisedMinTemperature = 0.5;
    static constexpr double kAdvisedMaxTemperature = 0.7;
    static constexpr int kMinThinkingBudget = 256;
    static constexpr int kMaxThinkingBudget = 32768;
    static constexpr int kDefaultMaxTokens = 4096;
    static constexpr int kDefaultContextLength = 4096;
    static constexpr int kMaxCpuThreads = 256;
    static constexpr int kMaxGpuLayers = 1024;

    explicit ChatSettings(QObject* parent = nullptr);

    static int maxContextLength() { return kMaxContextLength; }
    static int minThinkingBudget() { return kMinThinkingBudget; }
    static int maxThinkingBudget() { return kMaxThinkingBudget; }

    // DeepSeek's instruction for math problems, appended to the user's turn when math is on.
    static QString mathInstruction();

    double temperature() const { return m_temperature; }
    void setTemperature(double value);
    bool temperatureAdvised() const;
    double topP() const { return m_topP; }
    void setTopP(double value);
    int topK() const { return m_topK; }
    void setTopK(int value);
    double minP() const { return m_minP; }
    void setMinP(double value);
    double repetitionPenalty() const { return m_repetitionPenalty; }
    void setRepetitionPenalty(double value);
    int thinkingBudget() const { return m_thinkingBudget; }
    // 0 (or less) turns the budget off; other values are clamped to 256..32768.
    void setThinkingBudget(int value);
    int maxTokens() const { return m_maxTokens; }
    void setMaxTokens(int value);
    int contextLength() const { return m_contextLength; }
    void setContextLength(int value);
    int cpuThreads() const { return m_cpuThreads; }
    void setCpuThreads(int value);
    int gpuLayers() const { return m_gpuLayers; }
    void setGpuLayers(int value);
    QList<int> extraGpus() const { return m_extraGpus; }
    void setExtraGpus(const QList<int>& value);
    QString splitShares() const { return m_splitShares; }
    void setSplitShares(const QString& value);
    QString kvCacheType() const { return m_kvCacheType; }
    void setKvCacheType(const QString& value);
    /// Whether the GPU at Vulkan index `index` takes part beside the chosen device (the settings' check boxes).
    Q_INVOKABLE bool gpuTakesPart(int index) const { return m_extraGpus.contains(index); }
    Q_INVOKABLE void setGpuTakesPart(int index, bool takesPart);
    // How the next model opened is laid out over the devices.
    PlacementSettings placementSettings() const;
    qint64 seed() const { return m_seed; }
    void setSeed(qint64 value);
    bool math() const { return m_math; }
    void setMath(bool value);
    QString systemPrompt() const { return m_systemPrompt; }
    void setSystemPrompt(const QString& value);
    QString theme() const { return m_theme; }
    void setTheme(const QString& value);
    QString language() const { return m_language; }
    // An unknown value counts as "system".
    void setLanguage(const QString& value);
    // The saved language, read before any ChatSettings exists (the UI's
    // translation is installed before the UI is created).
    static QString savedLanguage();
    QString modelsFolder() const { return m_modelsFolder; }
    void setModelsFolder(const QString& value);
    QString serverUrl() const { return m_serverUrl; }
    // Saves `value` without its user:password@, which goes to its own file
    // (serverLogin); an address of another origin than the saved one
    // forgets the saved key and user:password first.
    void setServerUrl(const QString& value);
    QString serverModel() const { return m_serverModel; }
    void setServerModel(const QString& value);
    // The saved server's API key; empty when none.
    QString serverApiKey() const { return m_serverApiKey; }
    void setServerApiKey(const QString& value);
    bool hasServerApiKey() const { return hasSecret(m_serverApiKey, kServerApiKeyName); }
    // The saved server's user:password (percent-encoded, as in a URL); empty when none.
    QString serverLogin() const { return m_serverLogin; }
    bool hasServerLogin() const { return hasSecret(m_serverLogin, kServerLoginName); }
    QString serverKeyError() const { return m_serverKeyError; }
    /// True when `address` (as typed: "gpu-box:8000/v1") has serverUrl's
    /// origin (scheme, host and port): the saved key and user:password are for it.
    Q_INVOKABLE bool isServerUrl(const QString& address) const;
    /// Forgets the saved API key and user:password (deletes their files).
    Q_INVOKABLE void forgetServerCredentials();

    static constexpr int kDefaultServePort = 8080;
    bool serveEnabled() const { return m_serveEnabled; }
    void setServeEnabled(bool value);
    int servePort() const { return m_servePort; }
    void setServePort(int value);
    // The key clients of the app's server must send; empty: none (loopback only, so optional).
    QString serveApiKey() const { return m_serveApiKey; }
    /// Saves the key the app's server asks for; empty removes it.
    Q_INVOKABLE void setServeApiKey(const QString& value);
    bool hasServeApiKey() const { return hasSecret(m_serveApiKey, kServeApiKeyName); }
    QString secretsWhere() const;
    bool secretsInKeyring() const;
    // The keys (serverApiKey, serverLogin, serveApiKey) are read from the
    // keyring when first needed, never at start: `done` runs once they are
    // (at once where they already are, or where there is no keyring).
    void loadSecrets(std::function<void()> done);
    bool secretsLoaded() const { return m_secretsLoaded; }

    /// Puts every setting back to its default (and saves that).
    Q_INVOKABLE void resetToDefaults();

    // How to make one answer; `randomSeed` replaces a seed of 0.
    GenerationSettings generationSettings(quint64 randomSeed) const;
    // The settings as stored with a conversation.
    QJsonObject toJson() const;

signals:
    void changed();

private:
    void load();
    void loadServerApiKey();
    void setServerLogin(const QString& value);
    static constexpr const char* kServerApiKeyName = "server-api-key";
    static constexpr const char* kServerLoginName = "server-login";
    static constexpr const char* kServeApiKeyName = "serve-api-key";
    void saveSecret(QString& member, const QString& value, const char* name);
    // Whether the secret `name` (held in `member` once read) is saved: known
    // from the settings' list of the names saved in the keyring until it is read.
    bool hasSecret(const QString& member, const char* name) const;
    void markSavedInKeyring(const char* name, bool saved);
    template <typename T>
    void update(T& member, T value, const char* key);

    double m_temperature = kDefaultTemperature;
    double m_topP = kDefaultTopP;
    int m_topK = 0;
    double m_minP = 0.0;
    double m_repetitionPenalty = 1.0;
    int m_thinkingBudget = 0;
    int m_maxTokens = kDefaultMaxTokens;
    int m_contextLength = kDefaultContextLength;
    int m_cpuThreads = 0;
    int m_gpuLayers = -1;
    QList<int> m_extraGpus;
    QString m_splitShares;
    QString m_kvCacheType = QStringLiteral("f16");
    qint64 m_seed = 0;
    bool m_math = false;
    QString m_systemPrompt;
    QString m_theme = QStringLiteral("system");
    QString m_language = QStringLiteral("system");
    QString m_modelsFolder;
    QString m_serverUrl;
    QString m_serverModel;
    QString m_serverApiKey;
    QString m_serverLogin;
    QString m_serverKeyError;
    bool m_serveEnabled = false;
    int m_servePort = kDefaultServePort;
    QString m_serveApiKey;
    SecretStore* m_secrets = nullptr;  // a child
    bool m_secretsLoaded = false;
    QList<std::function<void()>> m_secretsWaiting;  // loadSecrets() callers while the keyring answers
};

} // namespace ponder::app
