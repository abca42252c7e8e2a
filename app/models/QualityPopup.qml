import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Models

// The picker's quality charts over the grid: one model's quants (quality
// lost against memory) and all six distills on one plane, as two tabs.
// ModelPicker loads this file by URL the first time a chart is asked for,
// so Qt Charts (and the widgets it draws with) load only then. Escape or
// Close returns to the grid as it was.
Popup {
    id: popup

    required property ModelPickerModel picker
    /// The catalog id of the model the first tab charts.
    property string modelId
    /// 0: the model's chart; 1: the overview.
    property alias page: tabs.currentIndex

    /// Shows `model`'s chart (page 0) or the overview (page 1).
    function show(model, which) {
        if (model.length > 0)
            modelId = model
        page = which
        open()
    }

    objectName: "qualityPopup"
    anchors.centerIn: parent
    width: parent ? Math.min(parent.width - 2 * Theme.padding, Theme.unit * 140) : 0
    height: parent ? Math.min(parent.height - 2 * Theme.padding, Theme.unit * 100) : 0
    modal: true
    focus: true
    padding: Theme.padding
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    background: Rectangle {
        color: Theme.window
        border.color: Theme.border
        radius: Theme.radius
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing

            TabBar {
                id: tabs
                objectName: "qualityTabs"
                Layout.fillWidth: true
                spacing: Theme.smallSpacing
                background: Item {}
                QualityTab {
                    objectName: "modelTab"
                    text: qsTr("This model's quants")
                }
                QualityTab {
                    objectName: "overviewTab"
                    text: qsTr("All six distills")
                }
            }
            Button {
                objectName: "closeQuality"
                text: qsTr("Close")
                Accessible.name: qsTr("Close the quality charts")
                onClicked: popup.close()
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            QualityChart {
                objectName: "qualityChartPage"
                picker: popup.picker
                modelId: popup.modelId
            }
            QualityOverview {
                objectName: "qualityOverviewPage"
                picker: popup.picker
            }
        }
    }
}
