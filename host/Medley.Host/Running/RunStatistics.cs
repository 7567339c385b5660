namespace Medley.Host.Running;

/// <summary>What one run of a prompt did, for the counters table and <c>--json</c>.</summary>
public sealed class RunStatistics
{
    /// <summary>The strategy.</summary>
    public string Strategy { get; set; } = string.Empty;

    /// <summary>Its kind: <c>step</c> or <c>decoding</c>.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Prompt tokens (in the first member's tokenizer).</summary>
    public int PromptTokens { get; set; }

    /// <summary>Tokens generated.</summary>
    public int GeneratedTokens { get; set; }

    /// <summary>Seconds from the start of the prompt to the last token.</summary>
    public double Seconds { get; set; }

    /// <summary>Seconds of the prompt's forward passes (all members together, wall clock); zero for decoding strategies.</summary>
    public double PrefillSeconds { get; set; }

    /// <summary>
    /// Seconds the host's step loop spent outside the members' forward passes (combining, sampling, stop checks);
    /// zero for decoding strategies, which own their loop.
    /// </summary>
    public double LoopSeconds { get; set; }

    /// <summary>Why generation stopped: <c>eos</c>, <c>stop-string</c>, <c>max-tokens</c>, <c>context-length</c> or <c>strategy</c> (a decoding strategy ended).</summary>
    public string StopReason { get; set; } = string.Empty;

    /// <summary>The sampler's seed (to replay a sampled run).</summary>
    public ulong Seed { get; set; }

    /// <summary>Generated tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? GeneratedTokens / Seconds : 0;

    /// <summary>Each member's forward passes.</summary>
    public IReadOnlyList<MemberStatistics> Members { get; set; } = [];

    /// <summary>The strategy's own counters.</summary>
    public IReadOnlyDictionary<string, double> Counters { get; set; } = new Dictionary<string, double>();
}
