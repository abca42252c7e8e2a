// Marks one range of a plain-text TextEdit (a departure from the reference)
// with a background and an underline, through the document's layout
// (QSyntaxHighlighter), so the text itself stays plain: nothing in it is
// ever read as markup.
#pragma once

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QQuickTextDocument>
#include <QtQml/qqmlregistration.h>


namespace ponder::app {

class RangeHighlighter : public QObject {
    Q_OBJECT
    QML_ELEMENT

    /// The TextEdit's textDocument.
    Q_PROPERTY(QQuickTextDocument* document READ document WRITE setDocument NOTIFY changed)
    /// First character marked (UTF-16 offset); negative: none.
    Q_PROPERTY(int start READ start WRITE setStart NOTIFY changed)
    /// Characters marked.
    Q_PROPERTY(int length READ length WRITE setLength NOTIFY changed)
    /// The mark's background.
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY changed)

public:
    explicit RangeHighlighter(QObject* parent = nullptr);
    ~RangeHighlighter() override;

    QQuickTextDocument* document() const { return m_document; }
    void setDocument(QQuickTextDocument* document);
    int start() const { return m_start; }
    void setStart(int start);
    int length() const { return m_length; }
    void setLength(int length);
    QColor color() const { return m_color; }
    void setColor(const QColor& color);

signals:
    void changed();

private:
    class Highlighter;
    void rehighlight();

    QPointer<QQuickTextDocument> m_document;
    // A child of the document (QSyntaxHighlighter's way), so it dies with it;
    // deleted here when the document outlives this.
    QPointer<QObject> m_highlighter;
    int m_start = -1;
    int m_length = 0;
    QColor m_color;
};

} // namespace ponder::app
