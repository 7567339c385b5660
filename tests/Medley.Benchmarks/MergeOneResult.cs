namespace Medley.Benchmarks;

/// <summary>What a merge-one child reports to the parent.</summary>
internal sealed record MergeOneResult(int ExitCode, double WallSeconds, double EngineSeconds, long BytesRead, long PeakResidentBytes, string Error);
