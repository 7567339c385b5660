namespace Medley.Sdk.Decoding;

/// <summary>One decoding step as a step combiner sees it.</summary>
public sealed class StepInput
{
    /// <summary>Creates a step.</summary>
    /// <param name="step">0-based index of the token being chosen.</param>
    /// <param name="generated">Tokens generated so far (after the prompt).</param>
    /// <param name="memberLogits">Each member's next-token logits, aligned with the context's members.</param>
    public StepInput(int step, IReadOnlyList<int> generated, IReadOnlyList<ReadOnlyMemory<float>> memberLogits)
    {
        Step = step;
        Generated = generated ?? throw new ArgumentNullException(nameof(generated));
        MemberLogits = memberLogits ?? throw new ArgumentNullException(nameof(memberLogits));
    }

    /// <summary>0-based index of the token being chosen.</summary>
    public int Step { get; }

    /// <summary>Tokens generated so far.</summary>
    public IReadOnlyList<int> Generated { get; }

    /// <summary>Each member's logits, aligned with <see cref="StepCombinerContext.Members"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<float>> MemberLogits { get; }
}
