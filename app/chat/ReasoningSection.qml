import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The model's reasoning: open under "Thinking… N s" while it streams, then
// collapsed to "Thought for N s · M tokens" once the answer starts. A click,
// Enter or Space on the heading opens and closes it.
ColumnLayout {
    id: section

    /// The heading, from MessageListModel (live timer while thinking).
    required property string label
    /// The reasoning text, plain.
    required property string reasoning
    /// True while the reasoning streams.
    required property bool thinking

    /// Follows `thinking` until the user opens or closes it.
    property bool expanded: thinking

    function toggle() {
        expanded = !expanded
    }

    spacing: Theme.smallSpacing

    ToolButton {
        id: heading
        objectName: "reasoningHeading"
        text: (section.expanded ? "▾  " : "▸  ") + section.label
        font.pointSize: Theme.smallFontSize
        font.italic: section.thinking
        Accessible.role: Accessible.Button
        Accessible.name: section.label
        Accessible.description: section.expanded ? qsTr("Reasoning shown; press to hide it")
                                                 : qsTr("Reasoning hidden; press to show it")
        onClicked: section.toggle()
        Keys.onReturnPressed: section.toggle()
        Keys.onEnterPressed: section.toggle()

        contentItem: Label {
            textFormat: Text.PlainText
            text: heading.text
            font: heading.font
            color: heading.activeFocus ? Theme.accent : Theme.mutedText
        }
        background: Rectangle {
            radius: Theme.radius
            color: heading.hovered ? Theme.surface : "transparent"
            border.color: heading.activeFocus ? Theme.accent : "transparent"
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        visible: section.expanded && section.reasoning.length > 0
        spacing: Theme.spacing

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 2
            color: Theme.border
        }

        Label {
            objectName: "reasoningText"
            Layout.fillWidth: true
            text: section.reasoning
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.reasoningText
            font.pointSize: Theme.smallFontSize + 1
            Accessible.name: qsTr("Reasoning: %1").arg(section.reasoning)
        }
    }
}
