import QtQuick
import QtQuick.Controls
import Ponder.Common

// A paragraph, heading or list item of an answer (a row of MessageContent):
// its rich text (built and escaped in C++, markdown_inline.h), indented by
// its list nesting, with a bar per enclosing block quote, and a list item's
// marker ("3.", "•", a task box) hanging left of its text. Hovering a link
// shows its target; a click asks linkActivated's receiver to confirm it.
Item {
    id: textBlock

    /// "paragraph", "heading" or "item".
    required property string kind
    /// The inline content as rich text.
    required property string html
    /// The content as plain text: the accessible name.
    required property string plainText
    /// Heading level, 1 to 6.
    required property int level
    /// Lists and block quotes around the block (shown up to eight each).
    required property int listDepth
    required property int quoteDepth
    /// A list item's marker ("3.", "•"), or its task state ("checked", "unchecked").
    required property string marker
    required property string task

    signal linkActivated(string link)

    readonly property int quoteStep: Theme.spacing + Theme.smallSpacing
    readonly property int listStep: 3 * Theme.spacing
    readonly property int indent: Math.min(quoteDepth, 8) * quoteStep + Math.min(listDepth, 8) * listStep
    readonly property string markerText: task === "checked" ? "☑" : task === "unchecked" ? "☐" : marker

    implicitHeight: Math.max(prose.implicitHeight, markerLabel.implicitHeight)

    Repeater {
        model: Math.min(textBlock.quoteDepth, 8)

        Rectangle {
            required property int index
            x: index * textBlock.quoteStep
            width: 3
            height: textBlock.height
            color: Theme.border
        }
    }

    Text {
        id: markerLabel
        objectName: "listMarker"
        visible: textBlock.markerText.length > 0
        x: textBlock.indent - width - Theme.smallSpacing
        text: textBlock.markerText
        textFormat: Text.PlainText
        color: textBlock.task === "checked" ? Theme.ok : Theme.text
        font.pointSize: Theme.fontSize
        Accessible.ignored: true
    }

    Text {
        id: prose
        objectName: "proseBlock"
        x: textBlock.indent
        width: textBlock.width - x
        text: textBlock.html
        textFormat: Text.RichText
        wrapMode: Text.Wrap
        color: Theme.text
        linkColor: Theme.accent
        font.pointSize: textBlock.kind === "heading" ? Theme.fontSize + Math.max(0, 8 - 2 * textBlock.level)
                                                     : Theme.fontSize
        font.bold: textBlock.kind === "heading"
        Accessible.role: textBlock.kind === "heading" ? Accessible.Heading : Accessible.StaticText
        Accessible.name: textBlock.markerText.length > 0 ? textBlock.markerText + " " + textBlock.plainText
                                                         : textBlock.plainText
        onLinkActivated: link => textBlock.linkActivated(link)

        HoverHandler {
            cursorShape: prose.hoveredLink.length > 0 ? Qt.PointingHandCursor : Qt.ArrowCursor
        }

        // Made only while a link is hovered: one per block would cost more than the block.
        Loader {
            active: prose.hoveredLink.length > 0
            sourceComponent: ToolTip {
                id: linkTip
                objectName: "linkTarget"
                visible: true
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
}
