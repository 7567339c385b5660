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
    private MagnitudeRanking _ranking;
    private readonly bool _byMagnitude;

    private StreamingSparsifier(MagnitudeRanking ranking, bool byMagnitude, ulong[]? keepMask, float? factor)
    {
        _ranking = ranking;
        _byMagnitude = byMagnitude;
        _keepMask = keepMask;
        _factor = factor;
    }

    /// <summary>Keeps the <c>floor(density·n)</c> largest magnitudes, like <see cref="MagnitudeSparsifier"/>.</summary>
    /// <param name="count">Elements in the task vector.</param>
    /// <param name="density">Share kept, below 1.</param>
    /// <param name="rescale">Rescaling after the cut.</param>
    /// <param name="forEachPart">Hands the task vector's values to its visitor part by part, in order; called two to four times.</param>
    public static StreamingSparsifier ByMagnitude(int count, double density, SparsificationRescale rescale, Action<SpanVisitor> forEachPart)
    {
        var ranking = MagnitudeRanking.Top(count, MagnitudeSparsifier.KeptCount(count, density), forEachPart);
        double before = 0, after = 0;
        if (rescale == SparsificationRescale.L1Norm)
        {
            var counting = ranking;
            var scratch = Array.Empty<float>();
            forEachPart(part =>
            {
                before = SparsificationRescaling.AccumulateL1Norm(before, part);
                if (scratch.Length < part.Length)
                {
                    scratch = new float[part.Length];
                }

                var kept = scratch.AsSpan(0, part.Length);
                part.CopyTo(kept);
                counting.Apply(kept);
                after = SparsificationRescaling.AccumulateL1Norm(after, kept);
            });
        }

        return new StreamingSparsifier(ranking, byMagnitude: true, null, SparsificationRescaling.Factor(before, after, density, rescale));
    }

    /// <summary>Keeps each element with probability <c>density</c>, drawing like <see cref="RandomSparsifier"/>.</summary>
    /// <param name="count">Elements in the task vector.</param>
    /// <param name="density">Probability of keeping, below 1.</param>
    /// <param name="rescale">Rescaling after the drop.</param>
    /// <param name="random">The task vector's random stream.</param>
    /// <param name="forEachPart">Hands the task vector's values to its visitor part by part, in order; called once, only for L1 rescaling.</param>
    public static StreamingSparsifier ByRandomDrop(int count, double density, SparsificationRescale rescale, DeterministicRandom random, Action<SpanVisitor> forEachPart)
    {
        // One draw per element in index order, exactly as RandomSparsifier draws, recorded as a bit mask.
        var mask = new ulong[(count + 63) / 64];
        random.FillBernoulliMask(mask, count, density);

        double before = 0, after = 0;
        if (rescale == SparsificationRescale.L1Norm)
        {
            var offset = 0;
            forEachPart(part =>
            {
                // Both sums run in index order, as L1Norm's would over the whole vector, and in one loop so that the
                // two dependency chains overlap. A dropped value adds +0.0, which leaves a sum of magnitudes unchanged.
                for (var j = 0; j < part.Length; j++)
                {
                    var index = offset + j;
                    var magnitude = Math.Abs(part[j]);
                    before += magnitude;
                    after += ((mask[index >> 6] >> (index & 63)) & 1UL) != 0 ? magnitude : 0f;
                }

                offset += part.Length;
            });
        }

        return new StreamingSparsifier(default, byMagnitude: false, mask, SparsificationRescaling.Factor(before, after, density, rescale));
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
