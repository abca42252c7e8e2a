import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The heading of the model's reasoning: "Thinking… N s · M tokens · R
// tokens/s" while it streams, then "Thought for N s · M tokens" once the
// answer starts. A click, Enter or Space on it asks to open or close the
// reasoning, whose text the list shows below as rows of their own
// (ReasoningPiece, MessageRowsModel): open while it streams, closed after,
// unless the user chose.
// While it streams, "Answer now" beside the heading ends it (offerAnswerNow);
// a reasoning that was ended early says why under the heading (cutNote).
ColumnLayout {
    id: section

    /// The heading, from MessageListModel (live timer while thinking).
    required property string label
    /// True while the reasoning streams.
    required property bool thinking

    /// Why the reasoning ended early, in words (MessageListModel); empty when it did not.
    property string cutNote: ""
    /// Shows "Answer now" beside the heading (the answer streaming now, while it reasons).
    property bool offerAnswerNow: false
    /// Whether the model can be told (the engine on this machine); else the button explains why not.
    property bool canAnswerNow: false
    /// Answer now was asked already: the button waits for the reasoning to end.
    property bool answerNowAsked: false

    /// The reasoning's text is shown below (MessageRowsModel's choice).
    required property bool expanded

    signal answerNow()
    /// The user asks to open or close the reasoning.
    signal toggleRequested()

    function toggle() {
        toggleRequested()
    }

    spacing: Theme.smallSpacing

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacing

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

        Item {
            Layout.fillWidth: true
        }

        // A disabled button gets no hover: the explanation hangs on this item.
        Item {
            implicitWidth: answerNowButton.implicitWidth
            implicitHeight: answerNowButton.implicitHeight
            visible: section.offerAnswerNow

            ActionButton {
                id: answerNowButton
                objectName: "reasoningAnswerNow"
                anchors.fill: parent
                text: section.answerNowAsked ? qsTr("Answering…") : qsTr("Answer now")
                enabled: section.canAnswerNow && !section.answerNowAsked
                Accessible.name: qsTr("Stop thinking and answer now")
                onClicked: section.answerNow()
            }
            HoverHandler {
                id: answerNowHover
            }
            ToolTip.visible: answerNowHover.hovered
            ToolTip.text: section.canAnswerNow
                          ? qsTr("Ends the reasoning where it stands; the model answers from what it has thought (Ctrl+Enter)")
                          : qsTr("A model on a server cannot be told to stop thinking: it reasons until it is done. Stop ends the answer.")
        }
    }

    Label {
        objectName: "reasoningCutNote"
        Layout.fillWidth: true
        Layout.leftMargin: Theme.spacing
        visible: section.cutNote.length > 0
        textFormat: Text.PlainText
        text: section.cutNote
        wrapMode: Text.Wrap
        color: Theme.accent
        font.pointSize: Theme.smallFontSize
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }
}
