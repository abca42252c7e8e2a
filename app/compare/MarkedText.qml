import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Compare

// A model's text, plain, selectable, with one range marked (where it
// departs from the reference): the mark is drawn by RangeHighlighter on the
// document's layout, so the text is never read as markup.
TextEdit {
    id: edit

    /// First character marked; negative: none.
    property int markStart: -1
    property int markLength: 0
    property color markColor: Theme.dark ? "#9a3412" : "#fed7aa"

    readOnly: true
    selectByMouse: true
    textFormat: TextEdit.PlainText
    wrapMode: TextEdit.Wrap
    color: Theme.text
    selectionColor: Theme.selection
    selectedTextColor: Theme.text

    RangeHighlighter {
        document: edit.textDocument
        start: edit.markStart
        length: edit.markLength
        color: edit.markColor
    }
}
