using Medley.Sdk;

namespace Medley.Host.Sampling;

/// <summary>
/// Watches decoded text as it streams out and holds back only what could still become a stop string, so
/// the caller can show text as early as possible yet never shows a stop string or anything after it.
/// </summary>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private string _held = string.Empty;

    /// <summary>Creates a matcher.</summary>
    /// <param name="stopStrings">The stop strings; none means text is never held back.</param>
    public StopStringMatcher(IReadOnlyList<string> stopStrings)
    {
        ArgumentNullException.ThrowIfNull(stopStrings);
        for (var i = 0; i < stopStrings.Count; i++)
        {
            if (string.IsNullOrEmpty(stopStrings[i]))
            {
                throw new MedleyException(
                    SamplingErrorCodes.StopStringEmpty,
                    $"Stop string {i} is empty; an empty stop string would end generation before any text.");
            }
        }

        _stops = [.. stopStrings];
    }

    /// <summary>Whether a stop string has been seen; later input is ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Text received but not yet released because it may be the start of a stop string.</summary>
    public string HeldText => _held;

    /// <summary>Feeds the next piece of decoded text.</summary>
    /// <param name="chunk">The new text.</param>
    /// <returns>The text now safe to emit, and whether a stop string was hit.</returns>
    public StopStringResult Append(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (Stopped)
        {
            return new StopStringResult(string.Empty, true);
        }

        var buffer = _held + chunk;
        var stopAt = FirstStopIndex(buffer);
        if (stopAt >= 0)
        {
            Stopped = true;
            _held = string.Empty;
            return new StopStringResult(buffer[..stopAt], true);
        }

        var holdFrom = buffer.Length - LongestSuffixThatStartsAStop(buffer);
        _held = buffer[holdFrom..];
        return new StopStringResult(buffer[..holdFrom], false);
    }

    /// <summary>Releases the held text at the end of generation (when no stop string came).</summary>
    /// <returns>The held text, or nothing after a stop.</returns>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _held;
        _held = string.Empty;
        return rest;
    }

    private int FirstStopIndex(string buffer)
    {
        var first = -1;
        foreach (var stop in _stops)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        return first;
    }

    private int LongestSuffixThatStartsAStop(string buffer)
    {
        var longest = 0;
        foreach (var stop in _stops)
        {
            // A full stop string is not in the buffer (checked first), so only proper prefixes matter.
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > longest; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
