pragma Singleton
import QtQuick

// Colours, sizes and fonts for the whole UI, light and dark. Components use
// these units, never bare numbers.
QtObject {
    id: theme

    /// True for the dark palette. Follows the desktop's palette until set.
    property bool dark: systemPalette.window.hslLightness < 0.5

    readonly property SystemPalette systemPalette: SystemPalette {
        colorGroup: SystemPalette.Active
    }

    // Spacing and sizes, in device-independent pixels.
    readonly property int unit: 8
    readonly property int spacing: unit
    readonly property int padding: unit * 2
    readonly property int radius: 6
    readonly property int sidebarWidth: unit * 35
    readonly property int statusLineHeight: unit * 3
    readonly property int inputMinHeight: unit * 7
    readonly property int messageMaxWidth: unit * 100
    readonly property int smallSpacing: unit / 2
    readonly property int inputMaxHeight: unit * 25
    readonly property int dialogWidth: unit * 60

    // Fonts, in points.
    readonly property int fontSize: 11
    readonly property int smallFontSize: 9
    readonly property int titleFontSize: 14
    readonly property string monoFamily: "monospace"
    /// The body font's measures: what a row of text is estimated at before it is laid out.
    readonly property FontMetrics bodyMetrics: FontMetrics {
        font.pointSize: theme.fontSize
    }

    // Palette. Every text colour reads at WCAG AA contrast (4.5:1) on every
    // background it is drawn on, in both themes; a badge's text also on its
    // own fill (badgeFillOpacity of its colour over the cell): tst_theme_contrast
    // computes each pair, so a colour change that loses contrast fails there.
    readonly property color window: dark ? "#1e1f22" : "#ffffff"
    readonly property color sidebar: dark ? "#2b2d31" : "#f3f4f6"
    readonly property color surface: dark ? "#313338" : "#f9fafb"
    readonly property color border: dark ? "#3f4147" : "#e5e7eb"
    readonly property color text: dark ? "#e6e6e6" : "#111827"
    readonly property color mutedText: dark ? "#a8a8b1" : "#586170"
    readonly property color accent: dark ? "#9aa8ff" : "#4f46e5"
    readonly property color accentText: dark ? "#111827" : "#ffffff"
    readonly property color selection: dark ? "#2f3256" : "#e0e7ff"
    readonly property color error: dark ? "#fca5a5" : "#a51d1d"
    readonly property color ok: dark ? "#86efac" : "#166534"
    // A warning (amber) and information (blue, apart from the accent), as text and badges.
    readonly property color warning: dark ? "#fcd34d" : "#92400e"
    readonly property color information: dark ? "#7dd3fc" : "#075985"
    readonly property color button: dark ? "#3a3c42" : "#e5e7eb"
    readonly property color disabledText: dark ? "#6b6f76" : "#9ca3af"
    readonly property color userBubble: dark ? "#2f3349" : "#eef2ff"
    readonly property color codeBackground: dark ? "#232428" : "#f6f8fa"
    readonly property color codeHeader: dark ? "#2b2d31" : "#eaeef2"
    readonly property color errorBackground: dark ? "#3a2224" : "#fef2f2"
    readonly property color reasoningText: dark ? "#b4b4bd" : "#4b5563"
    /// The opacity of a badge's fill: its text colour over the background.
    readonly property real badgeFillOpacity: 0.12
}
