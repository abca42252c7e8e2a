import QtQuick
import QtQuick.Controls
import Ponder.Common

// One piece of an open reasoning (MessageRowsModel's reasoning rows): plain
// text beside the reasoning's rule. Pieces follow each other without gaps,
// each starting a line, so together they read as the one text they are cut
// from (reasoning_pieces.h).
Item {
    id: piece

    /// The piece's text, plain.
    required property string text

    implicitHeight: label.implicitHeight

    Rectangle {
        x: Theme.spacing
        width: 2
        height: parent.height
        color: Theme.border
    }

    Label {
        id: label
        objectName: "reasoningText"
        x: Theme.spacing + 2 + Theme.spacing
        width: parent.width - x
        text: piece.text
        textFormat: Text.PlainText
        wrapMode: Text.Wrap
        color: Theme.reasoningText
        font.pointSize: Theme.smallFontSize + 1
        Accessible.role: Accessible.StaticText
        Accessible.name: qsTr("Reasoning: %1").arg(piece.text)
    }
}
