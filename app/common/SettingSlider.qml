import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common

// A named number between bounds, set with a slider (arrow keys step it),
// its value shown beside it.
RowLayout {
    id: setting

    required property string label
    required property real value
    required property real from
    required property real to
    required property real stepSize
    property int decimals: 2
    property string hint

    signal moved(real value)

    spacing: Theme.spacing

    Label {
        textFormat: Text.PlainText
        Layout.preferredWidth: Theme.unit * 20
        text: setting.label
        color: Theme.text
        ToolTip.visible: setting.hint.length > 0 && hoverHandler.hovered
        ToolTip.text: setting.hint

        HoverHandler {
            id: hoverHandler
        }
    }
    Slider {
        Layout.fillWidth: true
        from: setting.from
        to: setting.to
        stepSize: setting.stepSize
        snapMode: Slider.SnapAlways
        value: setting.value
        Accessible.name: setting.label
        onMoved: setting.moved(value)
    }
    Label {
        textFormat: Text.PlainText
        Layout.preferredWidth: Theme.unit * 5
        horizontalAlignment: Text.AlignRight
        text: setting.value.toFixed(setting.decimals)
        color: Theme.mutedText
    }
}
