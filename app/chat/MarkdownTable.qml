import QtQuick
import QtQuick.Controls
import Ponder.Common

// A Markdown table of an answer: one rich-text <table> built and escaped in
// C++ (markdown_blocks.h), the header row bold, each column aligned as its
// delimiter row says. One item however many cells: a grid of items would
// take seconds for a hostile table. Wider than the answer, it scrolls
// sideways.
Flickable {
    id: table

    /// The table as rich text.
    required property string html
    /// Its cells as plain text, row by row: the accessible name.
    required property string plainText

    signal linkActivated(string link)

    implicitHeight: tableText.implicitHeight
    contentWidth: Math.max(width, tableText.implicitWidth)
    contentHeight: height
    flickableDirection: Flickable.HorizontalFlick
    boundsBehavior: Flickable.StopAtBounds
    clip: true
    ScrollBar.horizontal: ScrollBar {}

    Text {
        id: tableText
        objectName: "tableText"
        text: table.html
        textFormat: Text.RichText
        color: Theme.text
        linkColor: Theme.accent
        font.pointSize: Theme.fontSize
        Accessible.role: Accessible.Table
        Accessible.name: table.plainText
        onLinkActivated: link => table.linkActivated(link)
    }
}
