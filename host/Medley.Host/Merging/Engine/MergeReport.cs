namespace Medley.Host.Merging.Engine;

/// <summary>What a merge did, for <c>--json</c> and the summary line.</summary>
/// <param name="Method">The merge method.</param>
/// <param name="OutputFolder">Where the merged model is.</param>
/// <param name="Tensors">Output tensors written.</param>
/// <param name="LayerCount">Transformer layers in the output model.</param>
/// <param name="BytesRead">Tensor bytes read from the inputs.</param>
/// <param name="BytesWritten">Tensor bytes written.</param>
/// <param name="Files">The files of the output folder.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="InputGigabytesPerSecond">Input bytes read per second of wall time, in GB/s.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set when the merge ended.</param>
/// <param name="Threads">Tensors merged at once at most.</param>
/// <param name="Seed">The seed random methods used.</param>
public sealed record MergeReport(
    string Method,
    string OutputFolder,
    int Tensors,
    int LayerCount,
    long BytesRead,
    long BytesWritten,
    IReadOnlyList<string> Files,
    double Seconds,
    double InputGigabytesPerSecond,
    long PeakWorkingSetBytes,
    int Threads,
    ulong Seed);
