namespace Medley.Sdk.Merging;

/// <summary>
/// A merge method that can also merge a tensor without holding it whole: it reads its inputs and writes its output
/// in parts, so the host keeps only small buffers in memory and the parts stay in the CPU's caches. The host prefers
/// <see cref="MergeTensorStreaming"/> when the whole tensor is merged; the result must equal
/// <see cref="IMergeMethod.MergeTensor"/>'s bit for bit.
/// </summary>
public interface IStreamingMergeMethod : IMergeMethod
{
    /// <summary>Merges one tensor, writing every output value once, front to back.</summary>
    /// <param name="context">Inputs, parameters and output.</param>
    /// <param name="cancellationToken">Cancels long tensors.</param>
    void MergeTensorStreaming(StreamingMergeContext context, CancellationToken cancellationToken);
}
