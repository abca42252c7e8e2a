import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models
import Ponder.Chat

// The generation settings, the device and the theme. Changes apply to the
// next answer (the device, its threads, the layers on the GPU, the GPUs
// that take part, the KV cache and the context length when a model is next
// opened) and are saved at once.
Dialog {
    id: dialog

    required property ChatSettings settings
    /// The devices to choose from (GPUs and the CPU engine); null hides the chooser.
    property GpuSelector gpu: null
    /// Which GPUs take part and their shares matter only with more than one GPU.
    readonly property bool severalGpus: gpu !== null && gpu.gpus.length > 1

    title: qsTr("Settings")
    modal: true
    width: Theme.dialogWidth
    height: Math.min(implicitHeight, (parent ? parent.height : implicitHeight) - 2 * Theme.padding)
    standardButtons: Dialog.Close

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: parent.width
            spacing: Theme.spacing

            Label {
                objectName: "deepSeekAdvice"
                Layout.fillWidth: true
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
                text: qsTr("The defaults follow DeepSeek's advice for R1 and its distills: a temperature of 0.5 to 0.7 "
                           + "(0.6 here), so that the model neither repeats itself without end nor loses its thread; "
                           + "top-p 0.95; no system prompt, every instruction in your message instead; for math, "
                           + "the Math switch asks it to reason step by step and put the final answer in %1. "
                           + "Every answer starts with “<think>” and a new line, so the model always reasons first.")
                          .arg("\\boxed{}")
            }

            SettingSlider {
                Layout.fillWidth: true
                label: qsTr("Temperature")
                hint: qsTr("DeepSeek recommends 0.5–0.7 for R1; 0 always picks the likeliest token")
                value: dialog.settings.temperature
                from: 0
                to: 2
                stepSize: 0.05
                onMoved: v => dialog.settings.temperature = v
            }
            Label {
                objectName: "temperatureWarning"
                Layout.fillWidth: true
                visible: !dialog.settings.temperatureAdvised
                textFormat: Text.PlainText
                wrapMode: Text.Wrap
                color: Theme.error
                font.pointSize: Theme.smallFontSize
                text: qsTr("Outside DeepSeek's 0.5–0.7: R1 may repeat itself without end or lose its thread.")
            }
            SettingSlider {
                Layout.fillWidth: true
                label: qsTr("Top-p")
                hint: qsTr("DeepSeek uses 0.95 for R1")
                value: dialog.settings.topP
                from: 0
                to: 1
                stepSize: 0.01
                onMoved: v => dialog.settings.topP = v
            }
            SettingSlider {
                Layout.fillWidth: true
                label: qsTr("Min-p")
                hint: qsTr("0 turns it off")
                value: dialog.settings.minP
                from: 0
                to: 1
                stepSize: 0.01
                onMoved: v => dialog.settings.minP = v
            }
            SettingSlider {
                Layout.fillWidth: true
                label: qsTr("Repetition penalty")
                hint: qsTr("1 turns it off")
                value: dialog.settings.repetitionPenalty
                from: 1
                to: 2
                stepSize: 0.01
                onMoved: v => dialog.settings.repetitionPenalty = v
            }

            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: Theme.spacing

                Label { text: qsTr("Top-k (0: off)"); color: Theme.text }
                NamedSpinBox {
                    from: 0
                    to: 1000
                    editable: true
                    value: dialog.settings.topK
                    Accessible.name: qsTr("Top-k")
                    onValueModified: dialog.settings.topK = value
                }
                Label { text: qsTr("Maximum tokens per answer"); color: Theme.text }
                NamedSpinBox {
                    from: 1
                    to: dialog.settings.maxContextLength
                    stepSize: 256
                    editable: true
                    value: dialog.settings.maxTokens
                    Accessible.name: qsTr("Maximum tokens per answer")
                    onValueModified: dialog.settings.maxTokens = value
                }
                Label { text: qsTr("Thinking budget (reasoning tokens)"); color: Theme.text }
                NamedSpinBox {
                    objectName: "thinkingBudgetBox"
                    from: 0
                    to: dialog.settings.maxThinkingBudget
                    stepSize: 256
                    editable: true
                    value: dialog.settings.thinkingBudget
                    textFromValue: (value, locale) => value <= 0 ? qsTr("Off")
                                                                 : Number(value).toLocaleString(locale, "f", 0)
                    // Digits only, so "Off" and group separators read as what they show.
                    valueFromText: (text, locale) => Number(text.replace(/[^0-9]/g, ""))
                    Accessible.name: qsTr("Thinking budget in reasoning tokens, off for no limit")
                    onValueModified: dialog.settings.thinkingBudget = value
                }
                Label {
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("After this many reasoning tokens (%1 to %2) the model stops thinking and answers "
                               + "from what it has thought, as “Answer now” does. Models on this machine only: "
                               + "a server cannot be told.")
                              .arg(dialog.settings.minThinkingBudget).arg(dialog.settings.maxThinkingBudget)
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    wrapMode: Text.Wrap
                }
                Label { text: qsTr("Context length (next model opened)"); color: Theme.text }
                NamedSpinBox {
                    from: 256
                    to: dialog.settings.maxContextLength
                    stepSize: 1024
                    editable: true
                    value: dialog.settings.contextLength
                    Accessible.name: qsTr("Context length in tokens")
                    onValueModified: dialog.settings.contextLength = value
                }
                Label {
                    visible: dialog.gpu !== null
                    text: qsTr("Device (next model opened)")
                    color: Theme.text
                }
                ComboBox {
                    objectName: "deviceBox"
                    visible: dialog.gpu !== null
                    Layout.fillWidth: true
                    model: dialog.gpu ? dialog.gpu.adapters : []
                    currentIndex: dialog.gpu ? dialog.gpu.currentIndex : -1
                    displayText: dialog.gpu && dialog.gpu.probing ? qsTr("Looking for devices…") : currentText
                    Accessible.name: qsTr("Device the model runs on")
                    onActivated: index => dialog.gpu.choose(index)
                }
                Label { text: qsTr("CPU threads (0: one per core)"); color: Theme.text }
                NamedSpinBox {
                    objectName: "cpuThreadsBox"
                    from: 0
                    to: 256
                    editable: true
                    value: dialog.settings.cpuThreads
                    Accessible.name: qsTr("Threads of the CPU engine, 0 for one per physical core")
                    onValueModified: dialog.settings.cpuThreads = value
                }
                Label { text: qsTr("Layers on the GPU (next model opened)"); color: Theme.text }
                NamedSpinBox {
                    objectName: "gpuLayersBox"
                    from: -1
                    to: 1024
                    editable: true
                    value: dialog.settings.gpuLayers
                    textFromValue: (value, locale) => value < 0 ? qsTr("Automatic")
                                                                : Number(value).toLocaleString(locale, "f", 0)
                    valueFromText: (text, locale) => {
                        const layers = Number.fromLocaleString(locale, text)
                        return isNaN(layers) ? -1 : layers
                    }
                    Accessible.name: qsTr("Layers on the GPU, automatic for as many as fit")
                    onValueModified: dialog.settings.gpuLayers = value
                }
                Label {
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("Automatic runs the whole model on the GPU when it fits there, else as many layers "
                               + "as fit, and the rest on the CPU. The output counts as one layer.")
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    wrapMode: Text.Wrap
                }
                Label {
                    visible: dialog.severalGpus
                    text: qsTr("GPUs that take part")
                    color: Theme.text
                }
                ColumnLayout {
                    objectName: "gpusTakingPart"
                    visible: dialog.severalGpus
                    Layout.fillWidth: true
                    spacing: 0
                    Repeater {
                        model: dialog.gpu ? dialog.gpu.gpus : []
                        CheckBox {
                            required property var modelData
                            Layout.fillWidth: true
                            text: modelData.line
                            // The device chosen above always takes part.
                            checked: modelData.current || dialog.settings.extraGpus.indexOf(modelData.index) >= 0
                            enabled: !modelData.current
                            Accessible.name: qsTr("%1 takes part").arg(modelData.name)
                            onToggled: dialog.settings.setGpuTakesPart(modelData.index, checked)
                        }
                    }
                }
                Label {
                    visible: dialog.severalGpus
                    text: qsTr("Split shares")
                    color: Theme.text
                }
                TextField {
                    objectName: "splitSharesField"
                    visible: dialog.severalGpus
                    Layout.fillWidth: true
                    text: dialog.settings.splitShares
                    placeholderText: qsTr("By free memory, or e.g. 8,6,6,6")
                    validator: RegularExpressionValidator {
                        regularExpression: /^\s*(\d+(\.\d*)?\s*(,\s*\d+(\.\d*)?\s*)*)?$/
                    }
                    Accessible.name: qsTr("Shares of the layers per GPU, in device order")
                    onEditingFinished: dialog.settings.splitShares = text
                }
                Label { text: qsTr("KV cache (next model opened)"); color: Theme.text }
                ComboBox {
                    objectName: "kvCacheBox"
                    Layout.fillWidth: true
                    model: [qsTr("f16"), qsTr("q8_0: about half the memory")]
                    currentIndex: ["f16", "q8_0"].indexOf(dialog.settings.kvCacheType)
                    Accessible.name: qsTr("Type of the KV cache")
                    onActivated: index => dialog.settings.kvCacheType = ["f16", "q8_0"][index]
                }
                Label { text: qsTr("Seed (0: random)"); color: Theme.text }
                NamedSpinBox {
                    from: 0
                    to: 2147483647
                    editable: true
                    value: dialog.settings.seed
                    Accessible.name: qsTr("Seed, 0 for a random one each answer")
                    onValueModified: dialog.settings.seed = value
                }
                Label { text: qsTr("Theme"); color: Theme.text }
                ComboBox {
                    model: [qsTr("System"), qsTr("Light"), qsTr("Dark")]
                    currentIndex: ["system", "light", "dark"].indexOf(dialog.settings.theme)
                    Accessible.name: qsTr("Theme")
                    onActivated: index => dialog.settings.theme = ["system", "light", "dark"][index]
                }
                Label { text: qsTr("Language"); color: Theme.text }
                ComboBox {
                    objectName: "languageBox"
                    Layout.fillWidth: true
                    // Each language named in itself, to be found whatever language the window is in.
                    model: [qsTr("System"), "English", "繁體中文", "简体中文"]
                    currentIndex: Math.max(0, ["system", "en", "zh_TW", "zh_CN"].indexOf(dialog.settings.language))
                    Accessible.name: qsTr("Language")
                    onActivated: index => dialog.settings.language = ["system", "en", "zh_TW", "zh_CN"][index]
                }
                Label {
                    objectName: "languageNote"
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    textFormat: Text.PlainText
                    text: qsTr("Changes at once; a few texts made earlier (the times under answers, the device "
                               + "names) follow at the next start.")
                    color: Theme.mutedText
                    font.pointSize: Theme.smallFontSize
                    wrapMode: Text.Wrap
                }
            }

            Switch {
                // \\ outside qsTr(): lupdate 6.4 reads it as an escape twice (a backspace).
                text: qsTr("Math: ask for step-by-step reasoning and a %1 answer").arg("\\boxed{}")
                checked: dialog.settings.math
                Accessible.name: qsTr("Math instruction")
                onToggled: dialog.settings.math = checked
            }

            Label {
                textFormat: Text.PlainText
                text: qsTr("System prompt (DeepSeek advises none for R1)")
                color: Theme.text
            }
            TextArea {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.unit * 10
                text: dialog.settings.systemPrompt
                wrapMode: TextEdit.Wrap
                placeholderText: qsTr("None")
                Accessible.name: qsTr("System prompt")
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.surface
                    border.color: parent.activeFocus ? Theme.accent : Theme.border
                }
                onEditingFinished: dialog.settings.systemPrompt = text
            }

            ServeSettings {
                Layout.fillWidth: true
                settings: dialog.settings
            }

            Button {
                text: qsTr("Reset to defaults")
                Accessible.name: qsTr("Reset the settings to their defaults")
                onClicked: dialog.settings.resetToDefaults()
            }
        }
    }
}
