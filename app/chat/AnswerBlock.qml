import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Chat.Text
import Ponder.Chat
import Ponder.Chat.Math

// One block of an answer (a row of MessageContent): a paragraph, heading or
// list item (MarkdownTextBlock), a table (MarkdownTable), a rule, display
// math (MathBlock), or a code block (CodeBlock). The blocks' rich text is
// built and escaped in C++ (markdown_blocks.h). A link's text may differ
// from where it goes, so hovering shows its target, and a click asks first,
// showing the target again; only http and https links open, in the browser.
Loader {
    id: block

    required property ChatController chat
    required property string kind
    required property string text
    required property string html
    required property string language
    required property bool closed
    required property int level
    required property int listDepth
    required property int quoteDepth
    required property string marker
    required property string task

    readonly property int indent: Math.min(quoteDepth, 8) * (Theme.spacing + Theme.smallSpacing)
                                  + Math.min(listDepth, 8) * 3 * Theme.spacing

    sourceComponent: {
        switch (kind) {
        case "code": return codeComponent
        case "table": return tableComponent
        case "rule": return ruleComponent
        case "math": return mathComponent
        default: return textComponent
        }
    }

    Component {
        id: textComponent

        MarkdownTextBlock {
            width: block.width
            kind: block.kind
            html: block.html
            plainText: block.text
            level: block.level
            listDepth: block.listDepth
            quoteDepth: block.quoteDepth
            marker: block.marker
            task: block.task
            onLinkActivated: link => linkDialog.ask(link)
        }
    }

    Component {
        id: tableComponent

        Item {
            implicitHeight: grid.implicitHeight
            MarkdownTable {
                id: grid
                x: block.indent
                width: parent.width - x
                height: implicitHeight
                html: block.html
                plainText: block.text
                onLinkActivated: link => linkDialog.ask(link)
            }
        }
    }

    Component {
        id: ruleComponent

        Item {
            implicitHeight: Theme.spacing
            Rectangle {
                objectName: "ruleLine"
                x: block.indent
                width: parent.width - x
                anchors.verticalCenter: parent.verticalCenter
                height: 1
                color: Theme.border
            }
        }
    }

    Component {
        id: mathComponent

        Item {
            implicitHeight: formula.implicitHeight
            MathBlock {
                id: formula
                x: block.indent
                width: parent.width - x
                tex: block.text
            }
        }
    }

    // The confirmation, made on the first click on a link: one per block would cost more than the block.
    Loader {
        id: linkDialog
        active: false

        function ask(target) {
            active = true
            item.ask(target)
        }

        sourceComponent: Dialog {
            id: dialog
            objectName: "linkDialog"

            property string link: ""
            readonly property bool web: DesktopActions.isWebLink(link)

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
            onAccepted: DesktopActions.openLink(link)

            Label {
                objectName: "linkDialogText"
                width: parent.width
                text: dialog.web ? dialog.link
                                 : qsTr("Ponder opens only web links (http and https), not:\n%1").arg(dialog.link)
                textFormat: Text.PlainText
                wrapMode: Text.WrapAnywhere
                color: Theme.text
                Accessible.name: text
            }
        }
    }

    Component {
        id: codeComponent

        Item {
            implicitHeight: code.implicitHeight
            CodeBlock {
                id: code
                x: block.indent
                width: parent.width - x
                chat: block.chat
                code: block.text
                language: block.language
                closed: block.closed
            }
        }
    }
}
