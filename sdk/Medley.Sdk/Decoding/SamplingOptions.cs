namespace Medley.Sdk.Decoding;

/// <summary>How tokens are drawn from a distribution. A temperature of 0 means greedy decoding.</summary>
public sealed record SamplingOptions
{
    /// <summary>Softmax temperature; 0 picks the most likely token.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Drop tokens whose probability is below this share of the top token's; 0 keeps all.</summary>
    public double MinP { get; init; }

    /// <summary>Divides positive (multiplies negative) logits of tokens already present; 1 is off.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Seed for reproducible sampling; <see langword="null"/> draws one.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Most tokens to generate.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Generation stops before any of these strings would be emitted.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Whether the options select greedy decoding.</summary>
    public bool IsGreedy => Temperature <= 0;
}
