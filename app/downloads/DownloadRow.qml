import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Ponder.Common
import Ponder.Downloads

// One download: its name, a progress bar with bytes, speed and time left,
// and pause / resume / cancel. `info` is DownloadManager.downloadInfo(id),
// refreshed by the list on every progress tick.
Rectangle {
    id: row

    required property DownloadManager downloads
    required property string downloadId
    property var info: ({})

    // Running or waiting its turn: what Pause applies to.
    readonly property bool running: info.runningOrQueued === true
    readonly property real fraction: info.bytesTotal > 0 ? info.bytesDone / info.bytesTotal : 0
    // Finished, but nothing could verify a file: its SHA-256 came from nowhere.
    readonly property bool unverified: info.status === DownloadManager.Finished && info.unverified === true

    implicitHeight: layout.implicitHeight + Theme.padding
    radius: Theme.radius
    color: Theme.surface
    border.color: info.status === DownloadManager.Failed ? Theme.error : Theme.border

    function refresh() { info = downloads.downloadInfo(downloadId) }
    Component.onCompleted: refresh()

    function formatSeconds(s) {
        if (s < 0)
            return ""
        if (s >= 3600)
            return qsTr("%1 h %2 min left").arg(Math.floor(s / 3600)).arg(Math.floor(s % 3600 / 60))
        if (s >= 60)
            return qsTr("%1 min %2 s left").arg(Math.floor(s / 60)).arg(s % 60)
        return qsTr("%1 s left").arg(s)
    }
    function statusText() {
        switch (info.status) {
        case DownloadManager.Checking: return qsTr("Checking the partial file…")
        case DownloadManager.Downloading:
            return qsTr("%1 of %2 · %3/s · %4").arg(info.bytesDoneText).arg(info.bytesTotalText)
                       .arg(info.bytesPerSecondText).arg(formatSeconds(info.secondsLeft))
        case DownloadManager.Retrying: return qsTr("Retrying: %1").arg(info.retryReason)
        case DownloadManager.Paused: return qsTr("Paused at %1 of %2").arg(info.bytesDoneText).arg(info.bytesTotalText)
        case DownloadManager.Verifying: return qsTr("Checking the file against its repository's file list…")
        case DownloadManager.Finished:
            return unverified ? qsTr("Downloaded, not verified: %1 · %2").arg(info.unverifiedReason).arg(info.bytesTotalText)
                              : qsTr("Downloaded and verified · %1").arg(info.bytesTotalText)
        case DownloadManager.Failed: return info.errorString
        case DownloadManager.Queued:
            return info.bytesDone > 0
                ? qsTr("Queued at %1 of %2: starts when another download ends").arg(info.bytesDoneText).arg(info.bytesTotalText)
                : qsTr("Queued: starts when another download ends")
        }
        return ""
    }

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: Theme.spacing
        spacing: Theme.smallSpacing

        RowLayout {
            Layout.fillWidth: true
            Label {
                textFormat: Text.PlainText
                Layout.fillWidth: true
                text: info.partCount > 1 ? qsTr("%1 (part %2 of %3)").arg(info.name).arg(info.currentPart + 1).arg(info.partCount)
                                         : (info.name || downloadId)
                elide: Text.ElideMiddle
                color: Theme.text
            }
            ActionButton {
                text: running ? qsTr("Pause") : qsTr("Resume")
                visible: info.status !== DownloadManager.Finished
                Accessible.name: running ? qsTr("Pause the download of %1").arg(info.name)
                                         : qsTr("Resume the download of %1").arg(info.name)
                onClicked: running ? downloads.pause(downloadId) : downloads.resume(downloadId)
            }
            ActionButton {
                text: qsTr("Cancel")
                visible: info.status !== DownloadManager.Finished
                Accessible.name: qsTr("Cancel the download of %1 and delete its partial file").arg(info.name)
                onClicked: downloads.cancel(downloadId)
            }
        }
        ProgressBar {
            Layout.fillWidth: true
            visible: info.status !== DownloadManager.Finished && info.status !== DownloadManager.Failed
            indeterminate: info.bytesTotal < 0 && running && info.status !== DownloadManager.Queued
            value: fraction
            Accessible.name: qsTr("Download progress of %1").arg(info.name)
        }
        Label {
            objectName: "downloadStatus"
            textFormat: Text.PlainText
            Layout.fillWidth: true
            text: statusText()
            wrapMode: Text.Wrap
            font.pointSize: Theme.smallFontSize
            color: info.status === DownloadManager.Failed || unverified ? Theme.error : Theme.mutedText
        }
    }
}
