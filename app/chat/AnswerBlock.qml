import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat

// One block of an answer (a row of MessageContent): Markdown prose, or a
// fenced code block. Prose renders with Qt's Markdown; its source is made
// safe first (display_markdown.h), and links open only when clicked, in the
// browser, through the controller's scheme check.
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
            onLinkActivated: link => block.chat.openLink(link)

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
