using Medley.Sdk.Decoding;

namespace Medley.Ensemble.UnionVocab;

/// <summary>One request's state: the members' sessions, the text so far and the counters, advanced one piece at a time.</summary>
internal sealed class UnionVocabRun : IDisposable
{
    private readonly DecodingContext _context;
    private readonly UnionVocabSettings _settings;
    private readonly List<EnsembleMember> _members = [];
    private string _text;
    private int _ensembleSteps;
    private int _candidateTotal;

    // After a gated step the primary's cache already holds the text in the tokens it chose itself; re-tokenizing
    // could regroup them and make the primary differ from decoding alone.
    private bool _primaryHoldsText;

    public UnionVocabRun(DecodingContext context, UnionVocabSettings settings)
    {
        _context = context;
        _settings = settings;
        _text = context.Prompt;
        try
        {
            foreach (var member in context.Members)
            {
                _members.Add(new EnsembleMember(member));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private EnsembleMember Primary => _members[0];

    /// <summary>Chooses the next piece of text.</summary>
    /// <returns>The piece, or null when generation ends (end of sequence, or a member's context is full).</returns>
    public async ValueTask<TokenEvent?> NextAsync(CancellationToken cancellationToken)
    {
        if (!_primaryHoldsText)
        {
            var synced = await Primary.SyncAsync(_text, cancellationToken).ConfigureAwait(false);
            ReportRewinds();
            if (!synced)
            {
                return null;
            }
        }

        if (_settings.GateThreshold is { } threshold && Primary.Probabilities().Max() > threshold)
        {
            var (handled, gated) = await GatedStepAsync(cancellationToken).ConfigureAwait(false);
            if (handled)
            {
                return gated;
            }
        }

        return await EnsembleStepAsync(cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => string.Join(", ", _members);

    public void Dispose()
    {
        foreach (var member in _members)
        {
            member.Dispose();
        }
    }

    /// <summary>The primary decodes alone, as it would without the other members.</summary>
    /// <returns>Handled false when the primary's pick has to go to the ensemble instead.</returns>
    private async ValueTask<(bool Handled, TokenEvent? Event)> GatedStepAsync(CancellationToken cancellationToken)
    {
        var token = _context.Sampler.Next(Primary.UsableScores(), Primary.Tokens);
        if (Primary.Vocabulary.IsEos(token))
        {
            CountStep(gated: true);
            return (true, null);
        }

        // A fragment of a multi-byte character, or text another member's tokenizer cannot write, could not be handed
        // to the other members later.
        if (Primary.Vocabulary.TextOf(token) is not { } piece || !_members.All(m => m.Vocabulary.TryGetFirstToken(piece, out _)))
        {
            return (false, null);
        }

        if (!await Primary.AppendOwnAsync(token, cancellationToken).ConfigureAwait(false))
        {
            return (true, null);
        }

        _text += piece;
        _primaryHoldsText = true;
        CountStep(gated: true);
        return (true, new TokenEvent(piece, [token], Primary.Name));
    }

    private async ValueTask<TokenEvent?> EnsembleStepAsync(CancellationToken cancellationToken)
    {
        // Members have separate caches and often separate devices; a session's append runs synchronously, so each
        // member gets its own thread for the forward passes to overlap.
        var synced = await Task.WhenAll(_members.Select(m => Task.Run(() => m.SyncAsync(_text, cancellationToken).AsTask(), cancellationToken)))
            .ConfigureAwait(false);
        ReportRewinds();
        if (!synced.All(s => s))
        {
            return null;
        }

        var union = CandidateUnion.Build(
            [.. _members.Select(m => m.Vocabulary)], _settings.Weights, [.. _members.Select(m => m.Probabilities())], _settings.TopK);
        _ensembleSteps++;
        _candidateTotal += union.WritableCount;
        _context.Counters.Set(UnionVocabStrategy.CandidatesPerStepCounter, (double)_candidateTotal / _ensembleSteps);

        // Candidate indices change meaning every step, so there is no history for a repetition penalty.
        var chosen = union.Texts[_context.Sampler.Next(union.Scores(), [])];
        CountStep(gated: false);
        if (chosen is null)
        {
            return null;
        }

        _text += chosen;
        _primaryHoldsText = false;
        return new TokenEvent(chosen, Primary.Vocabulary.EncodePiece(chosen));
    }

    private void ReportRewinds() => _context.Counters.Set(UnionVocabStrategy.RewindsCounter, _members.Sum(m => m.Rewinds));

    private void CountStep(bool gated)
    {
        _context.Counters.Add(UnionVocabStrategy.StepsCounter);
        _context.Counters.Add(UnionVocabStrategy.GatedStepsCounter, gated ? 1 : 0);
    }
}
