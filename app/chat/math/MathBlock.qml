import QtQuick
import QtQuick.Controls
import Ponder.Common
import Ponder.Chat.Math

// A display formula ($$...$$ or \[...\]): the rendered image centred, or
// its source while it renders or when it does not parse. Wider than the
// answer, it scrolls sideways. The LaTeX source is its accessible name and
// tooltip, and what "Copy LaTeX" (right click) puts on the clipboard.
Item {
    id: mathBlock

    /// The formula's TeX source, without its delimiters.
    required property string tex
    /// Colour of the formula; the theme's text colour unless set.
    property color color: Theme.text

    // The renderer's answer for this source and colour; asked again when it says it is ready.
    property var formula: MathRenderer.request(tex, MathStyle.Display, color)
    readonly property bool showsImage: formula.ready

    function refresh() {
        formula = MathRenderer.request(tex, MathStyle.Display, color)
    }

    onTexChanged: refresh()
    onColorChanged: refresh()

    Connections {
        target: MathRenderer
        function onFormulaReady(readyTex) {
            if (readyTex === mathBlock.tex)
                mathBlock.refresh()
        }
        function onFontChanged() { mathBlock.refresh() }
    }

    implicitWidth: showsImage ? formula.size.width : source.implicitWidth
    implicitHeight: (showsImage ? formula.size.height : source.implicitHeight) + 2 * Theme.spacing

    Accessible.role: Accessible.Equation
    Accessible.name: tex

    Flickable {
        id: flick
        anchors.fill: parent
        anchors.topMargin: Theme.spacing
        anchors.bottomMargin: Theme.spacing
        contentWidth: Math.max(width, mathBlock.showsImage ? image.width : source.implicitWidth)
        contentHeight: height
        flickableDirection: Flickable.HorizontalFlick
        boundsBehavior: Flickable.StopAtBounds
        clip: contentWidth > width
        interactive: contentWidth > width

        Image {
            id: image
            visible: mathBlock.showsImage
            source: mathBlock.showsImage ? mathBlock.formula.url : ""
            width: mathBlock.formula.size.width
            height: mathBlock.formula.size.height
            x: Math.max(0, (flick.width - width) / 2)
            asynchronous: false
            cache: false
        }

        TextEdit {
            id: source
            visible: !mathBlock.showsImage
            x: Math.max(0, (flick.width - implicitWidth) / 2)
            text: "$$" + mathBlock.tex + "$$"
            textFormat: TextEdit.PlainText
            readOnly: true
            selectByMouse: true
            color: mathBlock.color
            font.family: Theme.monoFamily
        }
    }

    ToolTip.visible: hover.hovered && mathBlock.showsImage
    ToolTip.text: tex

    HoverHandler { id: hover }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: menu.popup()
    }

    Menu {
        id: menu
        MenuItem {
            text: qsTr("Copy LaTeX")
            onTriggered: MathRenderer.copySource(mathBlock.tex)
        }
    }
}
