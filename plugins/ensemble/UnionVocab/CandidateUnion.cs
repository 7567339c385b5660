using Medley.Sdk;

namespace Medley.Ensemble.UnionVocab;

/// <summary>
/// One step's candidates: the union of every member's top-k tokens by plain text (all end-of-sequence tokens are one
/// candidate), each with the weighted average of the members' probabilities.
/// </summary>
internal sealed class CandidateUnion
{
    private readonly List<string?> _texts = [];
    private readonly Dictionary<string, int> _indexByText = new(StringComparer.Ordinal);
    private int _eosIndex = -1;

    private CandidateUnion()
    {
    }

    /// <summary>Candidate texts in the order they joined (primary's ranks first); null is the end of sequence.</summary>
    public IReadOnlyList<string?> Texts => _texts;

    /// <summary>The weighted average probability of each candidate; 0 for a candidate some member cannot write.</summary>
    public double[] Probabilities { get; private set; } = [];

    /// <summary>Candidates that every member can write (their scores are finite unless every member gives them 0).</summary>
    public int WritableCount { get; private set; }

    /// <summary>Unites the members' top-k and averages their probabilities.</summary>
    /// <param name="vocabularies">The members' vocabularies, primary first.</param>
    /// <param name="weights">The members' weights, summing to 1.</param>
    /// <param name="probabilities">Each member's next-token distribution over its usable ids.</param>
    /// <param name="topK">How many tokens each member contributes.</param>
    public static CandidateUnion Build(IReadOnlyList<MemberVocabulary> vocabularies, IReadOnlyList<double> weights, IReadOnlyList<double[]> probabilities, int topK)
    {
        var union = new CandidateUnion();
        for (var m = 0; m < vocabularies.Count; m++)
        {
            foreach (var id in TopTokens(vocabularies[m], probabilities[m], topK))
            {
                union.Add(vocabularies[m].IsEos(id) ? null : vocabularies[m].TextOf(id));
            }
        }

        union.Average(vocabularies, weights, probabilities);
        return union;
    }

    /// <summary>The candidates' scores for the host sampler: the log of their averaged probabilities.</summary>
    public float[] Scores()
    {
        var scores = new float[Probabilities.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Probabilities[i] > 0 ? (float)Math.Log(Probabilities[i]) : float.NegativeInfinity;
        }

        return scores;
    }

    private void Add(string? text)
    {
        if (text is null)
        {
            if (_eosIndex < 0)
            {
                _eosIndex = _texts.Count;
                _texts.Add(null);
            }

            return;
        }

        if (_indexByText.TryAdd(text, _texts.Count))
        {
            _texts.Add(text);
        }
    }

    private void Average(IReadOnlyList<MemberVocabulary> vocabularies, IReadOnlyList<double> weights, IReadOnlyList<double[]> probabilities)
    {
        var averaged = new double[_texts.Count];
        var writable = new bool[_texts.Count];
        Array.Fill(writable, true);
        for (var m = 0; m < vocabularies.Count; m++)
        {
            var vocabulary = vocabularies[m];
            var p = probabilities[m];
            for (var c = 0; c < _texts.Count; c++)
            {
                if (!writable[c])
                {
                    continue;
                }

                if (MemberProbability(vocabulary, p, _texts[c]) is { } probability)
                {
                    averaged[c] += weights[m] * probability;
                }
                else
                {
                    // The chosen text is appended to every member, so a text one of them cannot write is not a choice.
                    writable[c] = false;
                    averaged[c] = 0;
                }
            }
        }

        WritableCount = writable.Count(w => w);
        if (!averaged.Any(p => p > 0))
        {
            throw new MedleyException(
                UnionVocabErrorCodes.NoCandidate,
                $"None of this step's {_texts.Count} candidate(s) ({string.Join(", ", _texts.Select(t => t is null ? "end of sequence" : $"\"{t}\""))}) can be written by every member's tokenizer with a non-zero probability; tokenizers: {string.Join("; ", vocabularies.Select(v => v.Description))}.");
        }

        Probabilities = averaged;
    }

    /// <summary>
    /// A member's probability for a candidate: the sum over its tokens spelling exactly that text (its own ranking,
    /// or tokens outside its top-k), else the probability of the first token of its tokenization of the text.
    /// </summary>
    /// <returns>Null when the member cannot write the text.</returns>
    private static double? MemberProbability(MemberVocabulary vocabulary, double[] p, string? text)
    {
        if (text is null)
        {
            return vocabulary.EosIds.Sum(id => p[id]);
        }

        var spelling = vocabulary.IdsSpelling(text);
        if (spelling.Count > 0)
        {
            return spelling.Sum(id => p[id]);
        }

        return vocabulary.TryGetFirstToken(text, out var first) ? p[first!.Value] : null;
    }

    /// <summary>The k most likely ids among whole-character tokens and end-of-sequence, best first, lower id on ties.</summary>
    private static List<int> TopTokens(MemberVocabulary vocabulary, double[] p, int k)
    {
        var worstFirst = new PriorityQueue<int, (double Probability, int Id)>(k + 1, WorseFirst.Instance);
        for (var id = 0; id < p.Length; id++)
        {
            if (vocabulary.TextOf(id) is null && !vocabulary.IsEos(id))
            {
                continue;
            }

            worstFirst.Enqueue(id, (p[id], id));
            if (worstFirst.Count > k)
            {
                worstFirst.Dequeue();
            }
        }

        var best = new List<int>(worstFirst.Count);
        while (worstFirst.TryDequeue(out var id, out _))
        {
            best.Add(id);
        }

        best.Reverse();
        return best;
    }

    private sealed class WorseFirst : IComparer<(double Probability, int Id)>
    {
        public static readonly WorseFirst Instance = new();

        public int Compare((double Probability, int Id) x, (double Probability, int Id) y)
        {
            var byProbability = x.Probability.CompareTo(y.Probability);
            return byProbability != 0 ? byProbability : y.Id.CompareTo(x.Id);
        }
    }
}
