#include "byte_format.h"

#include <QLocale>

namespace ponder::app {

QString formatMemoryBytes(uint64_t bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString formatFileBytes(uint64_t bytes)
{
    double inUnit = double(bytes);
    while (inUnit >= 1000)
        inUnit /= 1000;
    const int decimals = inUnit >= 100 ? 0 : inUnit >= 10 ? 1 : 2;  // three significant digits
    return QLocale().formattedDataSize(qint64(bytes), decimals, QLocale::DataSizeSIFormat);
}

} // namespace ponder::app
