namespace Medley.Benchmarks;

/// <summary>What a decode-one child reports to the parent: the measured runs (warm-up excluded), the greedy tokens, memory.</summary>
internal sealed record DecodeOneResult(
    string Side,
    int ExitCode,
    IReadOnlyList<DecodeRun> Runs,
    IReadOnlyList<int> TokenIds,
    bool RunsAgree,
    long PeakResidentBytes,
    IReadOnlyList<string> NativeLibraries,
    string Error);
