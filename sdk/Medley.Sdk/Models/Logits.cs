namespace Medley.Sdk.Models;

/// <summary>Logits for one or more consecutive positions, row-major <c>[positions, vocabulary]</c>.</summary>
public sealed class Logits
{
    private readonly float[] _values;

    /// <summary>Wraps a buffer of logits.</summary>
    /// <param name="values">Row-major values; the instance takes ownership.</param>
    /// <param name="positions">Number of rows.</param>
    /// <param name="vocabularySize">Row length.</param>
    public Logits(float[] values, int positions, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(values);
        if ((long)positions * vocabularySize != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not form {positions} rows of {vocabularySize}.", nameof(values));
        }

        _values = values;
        Positions = positions;
        VocabularySize = vocabularySize;
    }

    /// <summary>Number of positions (rows).</summary>
    public int Positions { get; }

    /// <summary>Vocabulary size (row length).</summary>
    public int VocabularySize { get; }

    /// <summary>All values, row-major.</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <summary>The last position's logits.</summary>
    public ReadOnlyMemory<float> Last => Row(Positions - 1);

    /// <summary>One position's logits.</summary>
    /// <param name="position">Row index, 0-based among the returned positions.</param>
    /// <returns>The row.</returns>
    public ReadOnlyMemory<float> Row(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Positions);
        return _values.AsMemory(position * VocabularySize, VocabularySize);
    }
}
