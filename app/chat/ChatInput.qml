import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Chat

// The box the user types into: Enter sends, Shift+Enter adds a line, Esc
// stops the answer. The button sends, or stops while an answer streams;
// while the model reasons, "Answer now" beside it (or Ctrl+Enter) ends the
// reasoning and lets the model answer (a model on this machine only).
Rectangle {
    id: chatInput

    required property ChatController chat

    readonly property bool canSend: chat.modelLoaded && !chat.generating && input.text.trim().length > 0
    /// "Answer now" can be asked: the model reasons, can be told, and was not asked yet.
    readonly property bool canAnswerNow: chat.thinking && chat.canAnswerNow && !chat.answerNowAsked

    function focusInput() {
        input.forceActiveFocus()
    }

    function send() {
        if (canSend && chat.send(input.text))
            input.clear()
    }

    implicitHeight: Math.min(Theme.inputMaxHeight, Math.max(Theme.inputMinHeight, input.implicitHeight + 2 * Theme.spacing))
    radius: Theme.radius
    color: Theme.surface
    border.color: input.activeFocus ? Theme.accent : Theme.border

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.spacing

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true

            TextArea {
                id: input
                objectName: "chatInput"
                focus: true
                wrapMode: TextEdit.Wrap
                placeholderText: chatInput.chat.modelLoaded ? qsTr("Ask anything. Enter sends, Shift+Enter starts a new line.")
                                                            : qsTr("Open a model to start chatting")
                color: Theme.text
                background: null
                Accessible.name: qsTr("Message")
                Keys.onReturnPressed: event => {
                    if (event.modifiers & Qt.ShiftModifier)
                        event.accepted = false
                    else
                        chatInput.send()
                }
                Keys.onEnterPressed: chatInput.send()
                Keys.onEscapePressed: chatInput.chat.stop()
                // Tab moves on (a TextArea would type a tab character and keep
                // the focus: a keyboard trap); answers are not indented by hand.
                Keys.onTabPressed: nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
                Keys.onBacktabPressed: nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
            }
        }

        ActionButton {
            Layout.alignment: Qt.AlignBottom
            Layout.bottomMargin: Theme.smallSpacing
            checkable: true
            checked: chatInput.chat.settings.math
            text: qsTr("Math")
            Accessible.name: qsTr("Math: ask for step-by-step reasoning and a boxed answer")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Adds “Please reason step by step, and put your final answer within %1.”").arg("\\boxed{}")
            onToggled: chatInput.chat.settings.math = checked
        }

        ActionButton {
            objectName: "answerNowButton"
            Layout.alignment: Qt.AlignBottom
            Layout.bottomMargin: Theme.smallSpacing
            // A server reasons until it is done: the reasoning section says so.
            visible: chatInput.chat.thinking && chatInput.chat.canAnswerNow
            enabled: chatInput.canAnswerNow
            text: chatInput.chat.answerNowAsked ? qsTr("Answering…") : qsTr("Answer now")
            Accessible.name: qsTr("Stop thinking and answer now")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Ends the reasoning where it stands; the model answers from what it has thought (Ctrl+Enter)")
            onClicked: chatInput.chat.answerNow()
        }

        PrimaryButton {
            id: sendButton
            Layout.alignment: Qt.AlignBottom
            text: chatInput.chat.generating ? qsTr("Stop") : qsTr("Send")
            enabled: chatInput.chat.generating || chatInput.canSend
            Accessible.name: chatInput.chat.generating ? qsTr("Stop the answer") : qsTr("Send message")
            onClicked: chatInput.chat.generating ? chatInput.chat.stop() : chatInput.send()
        }
    }

    // Only while it can act: else Ctrl+Enter reaches the text box, which sends.
    Shortcut {
        sequences: ["Ctrl+Return", "Ctrl+Enter"]
        enabled: chatInput.canAnswerNow
        onActivated: chatInput.chat.answerNow()
    }
}
