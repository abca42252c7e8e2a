import QtQuick
import QtQuick.Controls
import QtCharts
import Ponder.Common
import Ponder.Models

// One point of a quality chart as something to hover and to read: a target
// over the marker Qt Charts draws (placed with the chart's own mapping, so it
// follows the axes and the plot area), with the quant written beside it.
// Hovering it makes it the chart's hovered point, whose tooltip the chart
// shows; a screen reader reads the same text.
Item {
    id: marker

    required property ChartView chart
    /// A series on the chart's axes: mapToPosition needs one.
    required property AbstractSeries series
    /// The chart's axes, whose ranges move the point.
    required property AbstractAxis xAxis
    required property AbstractAxis yAxis
    // QualityPointList's roles.
    required property string modelId
    required property string quant
    required property string toolTip
    required property real memoryGiB
    required property real plotKld
    /// The value on the chart's y axis (plotKld on the quality chart, the score on the overview).
    property real yValue: plotKld
    /// Written beside the marker; empty: nothing.
    property string label: quant
    /// Write the label left of the marker (else right of it).
    property bool labelLeft: false
    /// Extra room between the marker and its label (a ring drawn around it), pixels.
    property real labelGap: 0
    /// Diameter of the marker drawn under it, pixels.
    property real markerSize: Theme.unit * 2
    readonly property bool hovered: hover.hovered

    // mapToPosition has no notifier: depend on what moves it.
    readonly property point position: {
        chart.plotArea
        xAxis.min
        xAxis.max
        yAxis.min
        yAxis.max
        return chart.mapToPosition(Qt.point(memoryGiB, yValue), series)
    }

    objectName: "point_" + modelId + "_" + quant
    x: position.x - width / 2
    y: position.y - height / 2
    width: Math.max(markerSize, Theme.unit * 2)
    height: width

    Accessible.role: Accessible.Graphic
    Accessible.name: toolTip.split("\n").join(", ")

    HoverHandler {
        id: hover
    }

    Label {
        objectName: "pointLabel"
        visible: marker.label.length > 0
        textFormat: Text.PlainText
        text: marker.label
        color: Theme.text
        font.pointSize: Theme.smallFontSize
        x: marker.labelLeft ? -implicitWidth - Theme.smallSpacing - marker.labelGap
                            : marker.width - Theme.smallSpacing + marker.labelGap
        y: marker.labelLeft ? (marker.height - implicitHeight) / 2 : marker.height / 2 - implicitHeight
    }
}
