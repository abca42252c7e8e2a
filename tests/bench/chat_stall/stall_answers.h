// The answers ponder-stall-bench streams: an R1 answer of about 4000 tokens
// (prose, lists around code, a table, math) and a 1 MB adversarial one (every
// kind of unclosed opener, deep nesting, a huge paragraph without blank
// lines, 10k list items, a huge table, long lines), and a megabyte of
// reasoning stuck in a loop.
#pragma once

#include <QString>
#include <QStringList>

namespace ponder::bench {

// About 4000 tokens of a typical R1 answer (reasoning, then Markdown).
inline QString typicalAnswer()
{
    QString text = QStringLiteral("Okay, let me think about sorting algorithms and their costs. ").repeated(40) +
                   QStringLiteral("\n</think>\n\n");
    for (int section = 1; text.size() < 16000; ++section) {
        text += QStringLiteral("## Part %1: merge sort\n\n").arg(section);
        text += QStringLiteral("Merge sort splits the list in halves, sorts each **recursively** and merges them; "
                               "its cost is $O(n \\log n)$ and the recurrence is \\(T(n) = 2T(n/2) + n\\).\n\n");
        text += QStringLiteral("1. Split the list:\n\n```python\ndef split(xs):\n    mid = len(xs) // 2\n"
                               "    return xs[:mid], xs[mid:]\n```\n\n"
                               "2. Sort each half with `merge_sort`.\n3. Merge the halves:\n\n"
                               "```python\ndef merge(a, b):\n    out = []\n    while a and b:\n"
                               "        out.append(a.pop(0) if a[0] <= b[0] else b.pop(0))\n"
                               "    return out + a + b\n```\n\n4. Return the merged list.\n\n");
        text += QStringLiteral("| algorithm | best | worst |\n| :--- | :---: | ---: |\n"
                               "| merge | $n \\log n$ | $n \\log n$ |\n| quick | $n \\log n$ | $n^2$ |\n\n");
        text += QStringLiteral("$$\\sum_{k=0}^{\\log n} 2^k \\cdot \\frac{n}{2^k} = n \\log n$$\n\n"
                               "> Note: the merge step needs *extra* memory.\n\n- [x] stable\n- [ ] in place\n\n");
    }
    return text + QStringLiteral("So the answer is \\boxed{O(n \\log n)}.");
}

// About 1 MB of hostile Markdown after an empty reasoning.
inline QString adversarialAnswer()
{
    QString text = QStringLiteral("</think>\n\n");
    text += QStringLiteral("Unclosed: ` `` ``` \\( \\[ $ $$ \\boxed{ **bold _em ~~del [link](http://x ") .repeated(600);
    text += QStringLiteral("\n\n") + QString(2000, u'>') + QStringLiteral(" deep quote\n\n");
    text += QStringLiteral("- ").repeated(2000) + QStringLiteral("deep list\n\n");
    for (int line = 0; line < 5000; ++line)  // a 250 KB paragraph without blank lines
        text += QStringLiteral("word *em %1 `code` $x_%1$ \\(y\\) <b>tag</b> ![i](http://a/b.png)\n").arg(line);
    text += u'\n';
    for (int item = 1; item <= 10000; ++item)
        text += QStringLiteral("%1. item `%1`\n").arg(item);
    text += u'\n';
    text += QStringLiteral("| a | b | c | d |\n| --- | :-: | --: | :-- |\n");
    for (int row = 0; row < 4000; ++row)
        text += QStringLiteral("| %1 | x \\| y | $z$ | **w** |\n").arg(row);
    text += u'\n';
    for (int line = 0; line < 4; ++line)  // long lines
        text += QStringLiteral("long").repeated(25000) + QStringLiteral("\n\n");
    while (text.size() < 1000000)
        text += QStringLiteral("A closing paragraph with `code`, *emphasis* and [a link](https://example.com).\n\n");
    return text;
}

// An R1 repetition loop: a megabyte of the same few sentences inside the
// reasoning, which the chat shows open while it streams, then a short answer.
inline QString loopingReasoning()
{
    QString text;
    for (int round = 0; text.size() < 1000000; ++round)
        text += QStringLiteral("Wait, let me check step %1 again. The sum is 42, so the total is 42.\n\n").arg(round % 7);
    return text + QStringLiteral("</think>\n\nThe answer is 42.");
}

// `text` in pieces of `size` characters.
inline QStringList pieces(const QString& text, qsizetype size)
{
    QStringList out;
    for (qsizetype i = 0; i < text.size(); i += size)
        out << text.mid(i, size);
    return out;
}

} // namespace ponder::bench
