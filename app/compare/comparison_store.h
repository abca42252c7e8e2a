// Comparisons in their own SQLite database (comparison_schema.h says why a
// file of its own and what it holds). save() writes a whole comparison in
// one transaction, so a failure halfway (or a run that never reached it,
// being cancelled) leaves nothing of it; load() reads one back whole and
// checks every blob and detail: a damaged one is an error naming the
// comparison and what is wrong, never a crash or half a comparison. Use a
// store from the thread that opened it.
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QString>

#include <expected>

#include "comparison.h"
#include "measured_quality.h"

namespace ponder::app {

// One saved comparison as the list shows it.
struct ComparisonSummary {
    qint64 id = -1;
    QDateTime created;
    QString title;
    QStringList fileTypes;  // of its models, in order
    int prompts = 0;
};

class ComparisonStore : public QObject {
    Q_OBJECT

public:
    explicit ComparisonStore(QObject* parent = nullptr);
    ~ComparisonStore() override;

    // comparisons.sqlite in the user's data directory (AppDataLocation).
    static QString defaultPath();

    QString path() const { return m_path; }
    bool isOpen() const { return m_db.isOpen(); }
    // What the last failed call reported, in words for the user.
    QString errorString() const { return m_errorString; }

    // Opens (creating or migrating) the database at `path`, or defaultPath() when empty.
    bool open(const QString& path = QString());
    void close();

    // Saves `comparison` (its id is ignored) in one transaction: the new id, or -1.
    qint64 save(const Comparison& comparison);
    std::expected<Comparison, QString> load(qint64 id);
    bool remove(qint64 id);
    // Newest first.
    QList<ComparisonSummary> list();
    // Every quant of a catalog model measured here (files the catalog does
    // not know are left out), oldest first; for MeasuredQuality.
    QList<QuantQuality> measuredQualities();

signals:
    // The list changed: saved or removed.
    void changed();

private:
    bool fail(const QString& message);

    QSqlDatabase m_db;
    QString m_connection;
    QString m_path;
    QString m_errorString;
};

} // namespace ponder::app
