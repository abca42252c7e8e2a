import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// The heat map's scale: KL divergence in nats on a log scale, from no tint
// (below 10⁻⁴) to the darkest red (10 and above).
RowLayout {
    id: legend

    required property HeatMapModel heatMap

    spacing: Theme.smallSpacing

    Label {
        textFormat: Text.PlainText
        text: qsTr("KLD (nats):")
        color: Theme.mutedText
        font.pointSize: Theme.smallFontSize
    }
    Repeater {
        model: [
            { value: 0.0001, label: "10⁻⁴" },
            { value: 0.001, label: "10⁻³" },
            { value: 0.01, label: "0.01" },
            { value: 0.1, label: "0.1" },
            { value: 1, label: "1" },
            { value: 10, label: "≥10" }
        ]
        delegate: RowLayout {
            required property var modelData
            spacing: Theme.smallSpacing / 2
            Rectangle {
                objectName: "legendSwatch"
                implicitWidth: Theme.unit * 2
                implicitHeight: Theme.unit * 2
                radius: 2
                color: legend.heatMap.colorFor(modelData.value)
                border.color: Theme.border
            }
            Label {
                textFormat: Text.PlainText
                text: modelData.label
                color: Theme.mutedText
                font.pointSize: Theme.smallFontSize
            }
        }
    }
}
