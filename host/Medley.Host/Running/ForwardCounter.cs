using System.Diagnostics;

namespace Medley.Host.Running;

/// <summary>A member's forward passes: how many, over how many tokens, and how long they took.</summary>
public sealed class ForwardCounter
{
    private long _calls;
    private long _tokens;
    private long _ticks;

    /// <summary>Forward passes (calls to <c>AppendAsync</c>) so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Tokens those passes consumed.</summary>
    public long Tokens => Interlocked.Read(ref _tokens);

    /// <summary>Seconds spent inside them.</summary>
    public double Seconds => Interlocked.Read(ref _ticks) / (double)Stopwatch.Frequency;

    /// <summary>Records one pass.</summary>
    /// <param name="tokens">Tokens appended.</param>
    /// <param name="elapsedTicks">Its duration in <see cref="Stopwatch"/> ticks.</param>
    public void Record(int tokens, long elapsedTicks)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _ticks, elapsedTicks);
    }

    /// <summary>Starts counting from zero (between prompts of one loaded run).</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _tokens, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }
}
