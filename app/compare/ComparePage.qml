import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Compare

// The compare page over the main window, as the models page is: opened
// from the models page's "Compare quants…", closed with Back or Esc.
Popup {
    id: page

    required property CompareController compare

    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape

    background: Rectangle {
        color: Theme.window
    }

    CompareView {
        anchors.fill: parent
        compare: page.compare
        onCloseRequested: page.close()
    }
}
