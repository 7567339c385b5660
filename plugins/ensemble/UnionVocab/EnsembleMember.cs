using System.Globalization;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Ensemble.UnionVocab;

/// <summary>
/// One member's decoding session kept in step with the shared text: before each ensemble step the whole text
/// (prompt and output) is tokenized afresh and only what differs from the cache is recomputed.
/// </summary>
internal sealed class EnsembleMember : IDisposable
{
    private readonly IDecodingSession _session;
    private readonly ITextTokenizer _tokenizer;
    private float[]? _lastLogits;
    private double[]? _probabilities;

    public EnsembleMember(DecodingMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        Name = member.Name;
        _tokenizer = member.Model.Tokenizer;
        ContextLength = member.Model.Info.ContextLength;
        Vocabulary = new MemberVocabulary(_tokenizer, member.Model.Info.VocabularySize);
        _session = member.Model.CreateSession();
    }

    public string Name { get; }

    public MemberVocabulary Vocabulary { get; }

    public int? ContextLength { get; }

    /// <summary>Times the cache was cut back because re-tokenizing the text changed tokens already in it.</summary>
    public int Rewinds { get; private set; }

    public IReadOnlyList<int> Tokens => _session.Tokens;

    /// <summary>The next-token logits after the cached tokens.</summary>
    public ReadOnlyMemory<float> LastLogits => _lastLogits ?? throw new InvalidOperationException("The member has not been given any text yet.");

    /// <summary>
    /// Makes the cache hold exactly this member's tokenization of <paramref name="text"/>: keeps the longest common
    /// prefix, rewinds past it when a merge across the old end changed earlier tokens, and appends the rest.
    /// </summary>
    /// <returns>False when the text no longer fits the member's context, so generation has to end.</returns>
    public async ValueTask<bool> SyncAsync(string text, CancellationToken cancellationToken)
    {
        var target = _tokenizer.Encode(text, addSpecialTokens: true);
        if (target.Count == 0)
        {
            throw new MedleyException(
                UnionVocabErrorCodes.EmptyPrompt,
                $"Member '{Name}': its tokenizer ({_tokenizer.Description}) turns the prompt into no tokens and adds no beginning-of-sequence token, so there is nothing to predict from; give a non-empty prompt.");
        }

        if (ContextLength is { } context && target.Count > context)
        {
            return false;
        }

        var cached = _session.Tokens;
        var common = 0;
        var limit = Math.Min(cached.Count, target.Count);
        while (common < limit && cached[common] == target[common])
        {
            common++;
        }

        if (common == target.Count && common == cached.Count && _lastLogits is not null)
        {
            return true;
        }

        // The logits after the last token exist only where that token was appended: when the text's tokens are
        // all already cached (the tokenization got shorter), the last one is run again.
        if (common == target.Count)
        {
            common--;
        }

        if (common < cached.Count)
        {
            _session.Rewind(common);
            Rewinds++;
        }

        var append = new int[target.Count - common];
        for (var i = 0; i < append.Length; i++)
        {
            append[i] = target[common + i];
        }

        var logits = await _session.AppendAsync(append, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        _lastLogits = logits.Last.ToArray();
        _probabilities = null;
        return true;
    }

    /// <summary>Appends a token the member chose itself (a gated step), as decoding it alone would.</summary>
    /// <returns>False when the token no longer fits the member's context.</returns>
    public async ValueTask<bool> AppendOwnAsync(int token, CancellationToken cancellationToken)
    {
        if (ContextLength is { } context && _session.Length + 1 > context)
        {
            return false;
        }

        var logits = await _session.AppendAsync(new[] { token }, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        _lastLogits = logits.Last.ToArray();
        _probabilities = null;
        return true;
    }

    /// <summary>The softmax of the last logits over the usable ids, in double precision (computed once per position).</summary>
    public double[] Probabilities() => _probabilities ??= Softmax(LastLogits.Span[..Vocabulary.Width]);

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var probabilities = new double[logits.Length];
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] /= sum;
        }

        return probabilities;
    }

    /// <summary>The last logits with ids outside the tokenizer ruled out, as the single-model loop samples them.</summary>
    public float[] UsableScores()
    {
        var scores = LastLogits.ToArray();
        scores.AsSpan(Vocabulary.Width).Fill(float.NegativeInfinity);
        return scores;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({_session.Length} tokens)");

    public void Dispose() => _session.Dispose();
}
