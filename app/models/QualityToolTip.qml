import QtQuick
import QtQuick.Controls
import Ponder.Common

// The hovered point's tooltip on a quality chart: the point's facts, one per
// line, as plain text (model names and figures come from the catalog and the
// compare page's store), beside the point and kept inside the chart.
ToolTip {
    id: tip

    /// The hovered QualityMarker; null: hidden.
    property Item marker: null

    objectName: "pointToolTip"
    visible: marker !== null
    text: marker ? marker.toolTip : ""
    delay: 0
    timeout: -1
    // Above and right of the point: more memory and more loss at once is
    // the corner no quant reaches, so the other points stay in view.
    // Flipped where it would leave the chart.
    x: marker ? (marker.x + marker.width + implicitWidth + Theme.spacing <= parent.width
                 ? marker.x + marker.width + Theme.smallSpacing
                 : marker.x - implicitWidth - Theme.smallSpacing) : 0
    y: marker ? (marker.y - implicitHeight - Theme.smallSpacing >= 0
                 ? marker.y - implicitHeight - Theme.smallSpacing
                 : Math.min(marker.y + marker.height + Theme.smallSpacing, parent.height - implicitHeight)) : 0

    contentItem: Label {
        textFormat: Text.PlainText
        text: tip.text
        color: Theme.text
        font.pointSize: Theme.smallFontSize
    }
    background: Rectangle {
        color: Theme.surface
        border.color: Theme.border
        radius: Theme.radius
    }
}
