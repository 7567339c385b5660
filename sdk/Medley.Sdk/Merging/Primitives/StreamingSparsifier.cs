namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// One task vector's sparsification (magnitude top-k or DARE's random drop) and rescaling, decided over the whole
/// tensor first and then applied part by part, front to back, with exactly the result of sparsifying and rescaling
/// the whole vector at once.
/// </summary>
internal sealed class StreamingSparsifier
{
    private readonly ulong[]? _keepMask;
    private readonly float? _factor;
    private readonly bool _byMagnitude;
    private MagnitudeRanking _ranking;

    private StreamingSparsifier(MagnitudeRanking ranking, bool byMagnitude, ulong[]? keepMask, float? factor)
    {
        _ranking = ranking;
        _byMagnitude = byMagnitude;
        _keepMask = keepMask;
        _factor = factor;
    }

    /// <summary>
    /// Keeps the <c>floor(density·n)</c> largest magnitudes of each vector, like <see cref="MagnitudeSparsifier"/>.
    /// </summary>
    /// <param name="count">Elements in each task vector.</param>
    /// <param name="densities">Share kept of each vector, below 1.</param>
    /// <param name="rescale">Rescaling after the cut.</param>
    /// <param name="forEachPart">Hands every vector's values to its visitor part by part, in order; called two or three times.</param>
    /// <returns>One sparsifier per vector.</returns>
    public static StreamingSparsifier[] ByMagnitude(int count, IReadOnlyList<double> densities, SparsificationRescale rescale, Action<TaskVectorPartVisitor> forEachPart)
    {
        var rankings = MagnitudeRanking.TopOfEach(count, densities.Select(d => MagnitudeSparsifier.KeptCount(count, d)).ToList(), forEachPart);
        var before = new double[densities.Count];
        var after = new double[densities.Count];
        if (rescale == SparsificationRescale.L1Norm)
        {
            var counting = (MagnitudeRanking[])rankings.Clone();
            var scratch = Array.Empty<float>();
            forEachPart((v, part) =>
            {
                before[v] = SparsificationRescaling.AccumulateL1Norm(before[v], part);
                if (scratch.Length < part.Length)
                {
                    scratch = new float[part.Length];
                }

                var kept = scratch.AsSpan(0, part.Length);
                part.CopyTo(kept);
                counting[v].Apply(kept);
                after[v] = SparsificationRescaling.AccumulateL1Norm(after[v], kept);
            });
        }

        return densities
            .Select((density, v) => new StreamingSparsifier(rankings[v], byMagnitude: true, null, SparsificationRescaling.Factor(before[v], after[v], density, rescale)))
            .ToArray();
    }

    /// <summary>Keeps each element of each vector with probability <c>density</c>, drawing like <see cref="RandomSparsifier"/>.</summary>
    /// <param name="count">Elements in each task vector.</param>
    /// <param name="densities">Probability of keeping, per vector, below 1.</param>
    /// <param name="rescale">Rescaling after the drop.</param>
    /// <param name="randoms">Each vector's random stream.</param>
    /// <param name="forEachPart">Hands every vector's values to its visitor part by part, in order; called once, only for L1 rescaling.</param>
    /// <returns>One sparsifier per vector.</returns>
    public static StreamingSparsifier[] ByRandomDrop(int count, IReadOnlyList<double> densities, SparsificationRescale rescale, IReadOnlyList<DeterministicRandom> randoms, Action<TaskVectorPartVisitor> forEachPart)
    {
        // One draw per element in index order, exactly as RandomSparsifier draws, recorded as a bit mask.
        var masks = new ulong[densities.Count][];
        for (var v = 0; v < masks.Length; v++)
        {
            masks[v] = new ulong[(count + 63) / 64];
            randoms[v].FillBernoulliMask(masks[v], count, densities[v]);
        }

        var before = new double[densities.Count];
        var after = new double[densities.Count];
        if (rescale == SparsificationRescale.L1Norm)
        {
            var offsets = new int[densities.Count];
            forEachPart((v, part) =>
            {
                // Both sums run in index order, as L1Norm's would over the whole vector, and in one loop so that the
                // two dependency chains overlap. A dropped value adds +0.0, which leaves a sum of magnitudes unchanged.
                var mask = masks[v];
                var offset = offsets[v];
                double sumBefore = before[v], sumAfter = after[v];
                for (var j = 0; j < part.Length; j++)
                {
                    var index = offset + j;
                    var magnitude = Math.Abs(part[j]);
                    sumBefore += magnitude;
                    // Branch-free: a dropped value's bits are cleared to +0.0 (even a NaN, which a product with 0 would keep).
                    var keep = (uint)(mask[index >> 6] >> (index & 63)) & 1u;
                    sumAfter += BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(magnitude) & (0u - keep));
                }

                (before[v], after[v]) = (sumBefore, sumAfter);
                offsets[v] = offset + part.Length;
            });
        }

        return densities
            .Select((density, v) => new StreamingSparsifier(default, byMagnitude: false, masks[v], SparsificationRescaling.Factor(before[v], after[v], density, rescale)))
            .ToArray();
    }

    /// <summary>Sparsifies and rescales the next part of the task vector in place; parts must come in order.</summary>
    /// <param name="part">The task vector's values from <paramref name="offset"/> on.</param>
    /// <param name="offset">Index of the part's first value.</param>
    public void Apply(Span<float> part, int offset)
    {
        if (_byMagnitude)
        {
            _ranking.Apply(part);
        }
        else
        {
            var mask = _keepMask!;
            for (var j = 0; j < part.Length; j++)
            {
                var index = offset + j;
                // Branch-free: at density 0.5 a branch on a random bit would mispredict half the time.
                var keep = (uint)(mask[index >> 6] >> (index & 63)) & 1u;
                part[j] = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(part[j]) & (0u - keep));
            }
        }

        if (_factor is { } factor)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(part, factor, part);
        }
    }
}
