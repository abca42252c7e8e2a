// f16 and bf16 conversion: every one of the 65536 encodings of each round
// trips through float, every midpoint between neighbouring finite values
// rounds to the even one (and its float neighbours to the nearer one), and
// chosen values cover overflow, subnormals, signed zero and NaN.
#include <QtTest>

#include <cmath>
#include <limits>

#include "ponder/half.h"

using namespace ponder;

namespace {

bool isHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0; }
bool isBf16NaN(uint16_t b) { return (b & 0x7f80) == 0x7f80 && (b & 0x7f) != 0; }

// The value of a half by its definition, independent of halfToFloat's bit tricks.
double halfByDefinition(uint16_t h)
{
    const int exponent = (h >> 10) & 31, mantissa = h & 0x3ff;
    const double sign = (h & 0x8000) ? -1.0 : 1.0;
    if (exponent == 31)
        return mantissa ? std::numeric_limits<double>::quiet_NaN() : sign * HUGE_VAL;
    if (exponent == 0)
        return sign * std::ldexp(mantissa, -24);
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
}

float nextUp(float v) { return std::nextafter(v, HUGE_VALF); }
float nextDown(float v) { return std::nextafter(v, -HUGE_VALF); }

} // namespace

class TestHalf : public QObject {
    Q_OBJECT

private slots:
    void halfRoundTripsEveryEncoding()
    {
        for (uint32_t i = 0; i < 65536; ++i) {
            const auto h = uint16_t(i);
            const float f = halfToFloat(h);
            const double expected = halfByDefinition(h);
            if (std::isnan(expected)) {
                QVERIFY2(std::isnan(f), qPrintable(QString::number(i, 16)));
                // NaN comes back NaN, quieted, with its sign and payload's top bits.
                QCOMPARE(floatToHalf(f), uint16_t(h | 0x200));
                continue;
            }
            QCOMPARE(double(f), expected);
            QCOMPARE(std::signbit(f), bool(h & 0x8000));
            QCOMPARE(floatToHalf(f), h);
        }
    }

    void halfRoundsMidpointsToEven()
    {
        // Each pair of neighbouring positive finite halves, subnormals included.
        for (uint16_t h = 0; h < 0x7bff; ++h) {
            const float lo = halfToFloat(h), hi = halfToFloat(uint16_t(h + 1));
            const float mid = lo + (hi - lo) / 2;  // exact: halves have 11 significant bits
            const uint16_t even = (h & 1) ? uint16_t(h + 1) : h;
            QCOMPARE(floatToHalf(mid), even);
            QCOMPARE(floatToHalf(-mid), uint16_t(even | 0x8000));
            QCOMPARE(floatToHalf(nextDown(mid)), h);
            QCOMPARE(floatToHalf(nextUp(mid)), uint16_t(h + 1));
        }
    }

    void halfRoundsChosenValues_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<uint16_t>("expected");
        QTest::newRow("one") << 1.f << uint16_t(0x3c00);
        QTest::newRow("tie below an even mantissa rounds down") << 1.f + 0x1p-11f << uint16_t(0x3c00);
        QTest::newRow("tie below an odd mantissa rounds up") << 1.f + 3 * 0x1p-11f << uint16_t(0x3c02);
        QTest::newRow("just past a tie rounds up") << nextUp(1.f + 0x1p-11f) << uint16_t(0x3c01);
        QTest::newRow("largest half") << 65504.f << uint16_t(0x7bff);
        QTest::newRow("just below the overflow tie") << nextDown(65520.f) << uint16_t(0x7bff);
        QTest::newRow("overflow tie goes to infinity") << 65520.f << uint16_t(0x7c00);
        QTest::newRow("large overflows to infinity") << 1e10f << uint16_t(0x7c00);
        QTest::newRow("largest float") << std::numeric_limits<float>::max() << uint16_t(0x7c00);
        QTest::newRow("negative infinity") << -HUGE_VALF << uint16_t(0xfc00);
        QTest::newRow("negative zero") << -0.f << uint16_t(0x8000);
        QTest::newRow("smallest normal") << 0x1p-14f << uint16_t(0x0400);
        QTest::newRow("largest subnormal") << 0x3ffp-24f << uint16_t(0x03ff);
        QTest::newRow("rounds up into the normals") << nextDown(0x1p-14f) << uint16_t(0x0400);
        QTest::newRow("smallest subnormal") << 0x1p-24f << uint16_t(0x0001);
        QTest::newRow("half the smallest subnormal ties to zero") << 0x1p-25f << uint16_t(0x0000);
        QTest::newRow("three halves of the smallest subnormal ties to two") << 0x3p-25f << uint16_t(0x0002);
        QTest::newRow("just above half the smallest subnormal") << nextUp(0x1p-25f) << uint16_t(0x0001);
        QTest::newRow("float subnormal underflows to zero") << 1e-40f << uint16_t(0x0000);
        QTest::newRow("negative subnormal") << -0x5p-24f << uint16_t(0x8005);
    }

    void halfRoundsChosenValues()
    {
        QFETCH(float, value);
        QFETCH(uint16_t, expected);
        QCOMPARE(floatToHalf(value), expected);
    }

    void halfNaNStaysNaN()
    {
        QVERIFY(isHalfNaN(floatToHalf(std::numeric_limits<float>::quiet_NaN())));
        QVERIFY(isHalfNaN(floatToHalf(-std::numeric_limits<float>::quiet_NaN())));
        // A payload only in the float's low bits must not become infinity.
        QVERIFY(isHalfNaN(floatToHalf(std::bit_cast<float>(0x7f800001u))));
        QVERIFY(isHalfNaN(floatToHalf(std::bit_cast<float>(0xff800001u))));
        QVERIFY(std::isnan(halfToFloat(0x7c01)));
    }

    void bf16RoundTripsEveryEncoding()
    {
        for (uint32_t i = 0; i < 65536; ++i) {
            const auto b = uint16_t(i);
            const float f = bf16ToFloat(b);
            QCOMPARE(std::bit_cast<uint32_t>(f), i << 16);
            QCOMPARE(floatToBf16(f), isBf16NaN(b) ? uint16_t(b | 0x40) : b);
        }
    }

    void bf16RoundsMidpointsToEven()
    {
        for (uint16_t b = 0; b < 0x7f7f; ++b) {
            const float lo = bf16ToFloat(b), hi = bf16ToFloat(uint16_t(b + 1));
            const float mid = lo + (hi - lo) / 2;  // exact, and no overflow near the top
            const uint16_t even = (b & 1) ? uint16_t(b + 1) : b;
            QCOMPARE(floatToBf16(mid), even);
            QCOMPARE(floatToBf16(-mid), uint16_t(even | 0x8000));
            QCOMPARE(floatToBf16(nextDown(mid)), b);
            QCOMPARE(floatToBf16(nextUp(mid)), uint16_t(b + 1));
        }
    }

    void bf16RoundsChosenValues_data()
    {
        QTest::addColumn<float>("value");
        QTest::addColumn<uint16_t>("expected");
        QTest::newRow("one") << 1.f << uint16_t(0x3f80);
        QTest::newRow("tie below an even mantissa rounds down") << 1.f + 0x1p-8f << uint16_t(0x3f80);
        QTest::newRow("tie below an odd mantissa rounds up") << 1.f + 3 * 0x1p-8f << uint16_t(0x3f82);
        QTest::newRow("largest float overflows to infinity") << std::numeric_limits<float>::max() << uint16_t(0x7f80);
        QTest::newRow("infinity") << HUGE_VALF << uint16_t(0x7f80);
        QTest::newRow("negative zero") << -0.f << uint16_t(0x8000);
        QTest::newRow("subnormal kept") << std::bit_cast<float>(0x00010000u) << uint16_t(0x0001);
        QTest::newRow("subnormal rounds") << std::bit_cast<float>(0x00018000u) << uint16_t(0x0002);
    }

    void bf16RoundsChosenValues()
    {
        QFETCH(float, value);
        QFETCH(uint16_t, expected);
        QCOMPARE(floatToBf16(value), expected);
    }

    void bf16NaNStaysNaN()
    {
        QVERIFY(isBf16NaN(floatToBf16(std::numeric_limits<float>::quiet_NaN())));
        QVERIFY(isBf16NaN(floatToBf16(std::bit_cast<float>(0x7f800001u))));
        QVERIFY(isBf16NaN(floatToBf16(std::bit_cast<float>(0xff800001u))));
    }
};

QTEST_GUILESS_MAIN(TestHalf)
#include "tst_half.moc"
