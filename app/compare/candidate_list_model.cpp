#include "candidate_list_model.h"

#include "byte_format.h"
#include "local_models.h"

namespace ponder::app {

void CandidateListModel::setLocalModels(LocalModels* models)
{
    if (m_models == models)
        return;
    if (m_models)
        disconnect(m_models, nullptr, this, nullptr);
    m_models = models;
    if (m_models)
        connect(m_models, &LocalModels::changed, this, &CandidateListModel::reload);
    reload();
}

void CandidateListModel::reload()
{
    QStringList checked = checkedPaths();
    beginResetModel();
    m_candidates.clear();
    // Read once: a QPointer read twice may (to the compiler) be null the
    // second time, and GCC's -Wnull-dereference says so in a fresh build.
    if (LocalModels* models = m_models.data()) {
        for (const LocalModel& local : models->models()) {
            if (!local.complete())
                continue;
            Candidate candidate;
            candidate.path = local.path;
            candidate.fileName = local.fileName;
            candidate.bytes = local.bytes;
            candidate.modelId = local.modelId;
            candidate.quant = local.quant;
            candidate.checked = checked.contains(local.path);
            // The header, read once per file version by LocalModels.
            if (const auto info = models->modelInfo(local.path)) {
                candidate.fileType = QString::fromStdString(info->fileType);
                candidate.family = QStringLiteral("%1 · %2 tokens")
                                       .arg(QString::fromUtf8(architectureName(info->config.architecture).data()))
                                       .arg(info->config.vocabSize);
                if (info->parameterCount)
                    candidate.bitsPerWeight = double(info->tensorBytes) * 8.0 / double(info->parameterCount);
            }
            m_candidates.push_back(std::move(candidate));
        }
    }
    endResetModel();
    emit changed();
}

bool CandidateListModel::setChecked(int row, bool checked)
{
    if (row < 0 || size_t(row) >= m_candidates.size())
        return false;
    if (checked && !m_candidates[size_t(row)].checked && checkedCount() >= kMaxChecked)
        return false;
    m_candidates[size_t(row)].checked = checked;
    emit dataChanged(index(0), index(rowCount() - 1), {ChosenRole, ReferenceRole});
    emit changed();
    return true;
}

int CandidateListModel::checkedCount() const
{
    return int(std::count_if(m_candidates.begin(), m_candidates.end(), [](const Candidate& c) { return c.checked; }));
}

QStringList CandidateListModel::checkedPaths() const
{
    QStringList paths;
    for (const Candidate& candidate : m_candidates)
        if (candidate.checked)
            paths << candidate.path;
    return paths;
}

QString CandidateListModel::problem() const
{
    const int checked = checkedCount();
    if (checked < 2)
        return tr("Choose two to five files of one model (%1 chosen).").arg(checked);
    QString family;
    for (const Candidate& candidate : m_candidates) {
        if (!candidate.checked)
            continue;
        if (candidate.family.isEmpty())
            return tr("%1 cannot be read as a model.").arg(candidate.fileName);
        if (family.isEmpty())
            family = candidate.family;
        else if (candidate.family != family)
            return tr("These files do not share a tokenizer (%1 and %2): choose quants of one model.")
                .arg(family, candidate.family);
    }
    return {};
}

int CandidateListModel::referenceRow() const
{
    int best = -1;
    for (size_t i = 0; i < m_candidates.size(); ++i)
        if (m_candidates[i].checked && (best < 0 || m_candidates[i].bitsPerWeight > m_candidates[size_t(best)].bitsPerWeight))
            best = int(i);
    return checkedCount() >= 2 ? best : -1;
}

QString CandidateListModel::referenceName() const
{
    const int row = referenceRow();
    return row < 0 ? QString() : m_candidates[size_t(row)].fileName;
}

ComparedFile CandidateListModel::catalogEntry(const QString& path) const
{
    for (const Candidate& candidate : m_candidates)
        if (candidate.path == path)
            return {candidate.modelId, candidate.quant, 0, {}};
    return {};
}

int CandidateListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_candidates.size());
}

QVariant CandidateListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_candidates.size())
        return {};
    const Candidate& candidate = m_candidates[size_t(index.row())];
    switch (role) {
    case PathRole: return candidate.path;
    case FileNameRole: return candidate.fileName;
    case FileTypeRole: return candidate.fileType;
    case SizeRole: return formatFileBytes(uint64_t(candidate.bytes));
    case BitsPerWeightRole: return candidate.bitsPerWeight;
    case ChosenRole: return candidate.checked;
    case ReferenceRole: return index.row() == referenceRow();
    case FamilyRole: return candidate.family;
    default: return {};
    }
}

QHash<int, QByteArray> CandidateListModel::roleNames() const
{
    return {{PathRole, "path"},       {FileNameRole, "fileName"}, {FileTypeRole, "fileType"},
            {SizeRole, "size"},       {BitsPerWeightRole, "bitsPerWeight"}, {ChosenRole, "chosen"},
            {ReferenceRole, "reference"}, {FamilyRole, "family"}};
}

} // namespace ponder::app
