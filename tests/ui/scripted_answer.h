// A DeepSeek-R1 style answer for the chat window's screenshots, cut into
// token-like pieces: reasoning, `</think>` (one token in R1's vocabulary),
// and an answer with Markdown, math and a Python code block. Tags cut across
// pieces are MessageParser's tests' business.
#pragma once

#include <QString>
#include <QStringList>

namespace ponder::test {

inline const QString kScriptedQuestion = QStringLiteral("How do I reverse a list in Python?");

// Words with their leading spaces, as a tokenizer cuts them.
inline QStringList wordPieces(const QString& text)
{
    QStringList pieces;
    QString piece;
    for (const QChar c : text) {
        if ((c == u' ' || c == u'\n') && !piece.trimmed().isEmpty()) {
            pieces << piece;
            piece.clear();
        }
        piece += c;
    }
    if (!piece.isEmpty())
        pieces << piece;
    return pieces;
}

inline QStringList scriptedReasoning()
{
    return wordPieces(QStringLiteral(
        "Okay, the user wants to reverse a list in Python. There are a few ways: slicing with [::-1] makes a "
        "copy, list.reverse() works in place and returns None, and reversed() gives an iterator. Slicing is "
        "the most common answer, so I will show it first with a short example, then mention the other two "
        "and when each one fits.\n"));
}

inline QStringList scriptedAnswer()
{
    const QString answer = QStringLiteral(
        "\n\nThere are three common ways:\n\n"
        "1. **Slicing** makes a reversed *copy*:\n\n"
        "```python\n"
        "numbers = [1, 2, 3, 4]\n"
        "reversed_copy = numbers[::-1]\n"
        "print(reversed_copy)  # [4, 3, 2, 1]\n"
        "```\n\n"
        "2. `numbers.reverse()` reverses the list **in place** and returns `None`.\n"
        "3. `reversed(numbers)` gives an iterator, handy in a `for` loop.\n\n"
        "Each takes $O(n)$ time, so the short answer is \\boxed{numbers[::-1]}. "
        "See the [Python tutorial](https://docs.python.org/3/tutorial/datastructures.html).");
    QStringList pieces{QStringLiteral("</think>")};
    // Pieces of five characters: fences and tags land across pieces too.
    for (qsizetype i = 0; i < answer.size(); i += 5)
        pieces << answer.mid(i, 5);
    return pieces;
}

// Output that tries to make the window load remote resources.
inline const QString kHostileAnswer = QStringLiteral(
    "</think>Here it is: ![pixel](http://127.0.0.1:9/pixel.png) and <img src=\"http://127.0.0.1:9/tag.png\"> "
    "and <a href=\"http://127.0.0.1:9/\"><img src=\"https://127.0.0.1:9/nested.png\"></a>\n\n"
    "| a | b |\n|---|---|\n| ![x](https://127.0.0.1:9/cell.png) | 2 |\n");

} // namespace ponder::test
