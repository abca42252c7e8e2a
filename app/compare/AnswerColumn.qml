import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Compare

// One side of the side by side: a model's name, its reasoning (collapsible,
// as the chat's ReasoningSection, open when the departure lies in it) and
// its answer, with the departure from the reference marked.
ColumnLayout {
    id: column

    required property string title
    required property string reasoning
    required property string answer
    required property int reasoningTokens
    /// "reasoning", "answer" or "" (no departure).
    required property string departureSection
    required property int departureStart
    required property int departureLength

    property bool expanded: departureSection === "reasoning"

    spacing: Theme.smallSpacing

    Label {
        Layout.fillWidth: true
        textFormat: Text.PlainText
        text: column.title
        color: Theme.text
        font.bold: true
        elide: Text.ElideRight
    }

    ToolButton {
        id: heading
        objectName: "compareReasoningHeading"
        visible: column.reasoning.length > 0
        text: (column.expanded ? "▾  " : "▸  ") + qsTr("Reasoning · %n token(s)", "", column.reasoningTokens)
        font.pointSize: Theme.smallFontSize
        Accessible.role: Accessible.Button
        Accessible.name: qsTr("Reasoning of %1").arg(column.title)
        Accessible.description: column.expanded ? qsTr("Reasoning shown; press to hide it")
                                                : qsTr("Reasoning hidden; press to show it")
        onClicked: column.expanded = !column.expanded
        contentItem: Label {
            textFormat: Text.PlainText
            text: heading.text
            font: heading.font
            color: heading.activeFocus ? Theme.accent : Theme.mutedText
        }
        background: Rectangle {
            radius: Theme.radius
            color: heading.hovered ? Theme.surface : "transparent"
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        visible: column.expanded && column.reasoning.length > 0
        spacing: Theme.spacing
        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 2
            color: Theme.border
        }
        MarkedText {
            objectName: "compareReasoningText"
            Layout.fillWidth: true
            text: column.reasoning
            color: Theme.reasoningText
            font.pointSize: Theme.smallFontSize + 1
            markStart: column.departureSection === "reasoning" ? column.departureStart : -1
            markLength: column.departureLength
        }
    }

    MarkedText {
        objectName: "compareAnswerText"
        Layout.fillWidth: true
        text: column.answer
        markStart: column.departureSection === "answer" ? column.departureStart : -1
        markLength: column.departureLength
    }
}
