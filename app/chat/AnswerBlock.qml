import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// One block of an answer (a row of MessageContent): Markdown prose, or a
// fenced code block. Prose renders with Qt's Markdown; its source is made
// safe first (display_markdown.h). A link's text may differ from where it
// goes, so hovering shows its target, and a click asks first, showing the
// target again; only http and https links open, in the browser.
Loader {
    id: block

    required property ChatController chat
    required property string kind
    required property string text
    required property string markdown
    required property string language
    required property bool closed

    sourceComponent: kind === "code" ? codeComponent : proseComponent

    Component {
        id: proseComponent

        Text {
            id: prose
            objectName: "proseBlock"
            text: block.markdown
            textFormat: Text.MarkdownText
            wrapMode: Text.Wrap
            color: Theme.text
            font.pointSize: Theme.fontSize
            Accessible.role: Accessible.StaticText
            Accessible.name: block.text
            onLinkActivated: link => linkDialog.ask(link)

            // Qt's Markdown reader colours links when it parses: parse again for a new theme.
            Connections {
                target: AppPalette
                function onLinkChanged() {
                    prose.text = ""
                    prose.text = Qt.binding(() => block.markdown)
                }
            }

            HoverHandler {
                cursorShape: parent.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.ArrowCursor
            }

            ToolTip {
                id: linkTip
                objectName: "linkTarget"
                visible: prose.hoveredLink.length > 0
                text: prose.hoveredLink
                delay: 0
                contentItem: Text {
                    text: linkTip.text
                    textFormat: Text.PlainText
                    font: linkTip.font
                    color: Theme.text
                    wrapMode: Text.WrapAnywhere
                }
            }
        }
    }

    Dialog {
        id: linkDialog
        objectName: "linkDialog"

        property string link: ""
        readonly property bool web: /^https?:\/\/[^\s\/]/i.test(link)

        function ask(target) {
            link = target
            open()
        }

        parent: Overlay.overlay
        anchors.centerIn: parent
        width: Math.min(parent ? parent.width - 2 * Theme.padding : 0, Theme.messageMaxWidth)
        modal: true
        title: web ? qsTr("Open this link in the browser?") : qsTr("This link cannot be opened")
        standardButtons: web ? Dialog.Open | Dialog.Cancel : Dialog.Close
        onAccepted: block.chat.openLink(link)

        Label {
            objectName: "linkDialogText"
            width: parent.width
            text: linkDialog.web ? linkDialog.link
                                 : qsTr("Ponder opens only web links (http and https), not:\n%1").arg(linkDialog.link)
            textFormat: Text.PlainText
            wrapMode: Text.WrapAnywhere
            color: Theme.text
            Accessible.name: text
        }
    }

    Component {
        id: codeComponent

        CodeBlock {
            chat: block.chat
            code: block.text
            language: block.language
            closed: block.closed
        }
    }
}
