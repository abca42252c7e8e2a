import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models

// The context length the picker's figures are for, on a log scale: the
// slider moves through `steps` (512 … 131072 tokens), arrow keys one step.
RowLayout {
    id: setting

    /// Tokens now.
    required property int value
    /// The lengths to choose from, ascending.
    required property var steps

    signal moved(int tokens)

    function stepOf(tokens) {
        let best = 0
        for (let i = 0; i < steps.length; ++i)
            if (Math.abs(steps[i] - tokens) < Math.abs(steps[best] - tokens))
                best = i
        return best
    }

    spacing: Theme.spacing

    Label {
        textFormat: Text.PlainText
        text: qsTr("Context")
        color: Theme.text
    }
    Slider {
        id: slider
        objectName: "contextSlider"
        Layout.fillWidth: true
        from: 0
        to: Math.max(0, setting.steps.length - 1)
        stepSize: 1
        snapMode: Slider.SnapAlways
        value: setting.stepOf(setting.value)
        Accessible.name: qsTr("Context length")
        Accessible.description: qsTr("%L1 tokens").arg(setting.value)
        onMoved: setting.moved(setting.steps[Math.round(value)])
    }
    Label {
        objectName: "contextLabel"
        textFormat: Text.PlainText
        Layout.preferredWidth: Theme.unit * 14
        horizontalAlignment: Text.AlignRight
        text: qsTr("%L1 tokens").arg(setting.value)
        color: Theme.mutedText
    }
}
