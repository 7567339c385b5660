using System.Globalization;

namespace Medley.Benchmarks;

/// <summary>The options the benchmark commands share, parsed from <c>--name value</c> pairs.</summary>
internal sealed record BenchmarkArguments
{
    public double SizeGigabytes { get; init; } = 2;

    public IReadOnlyList<string> Methods { get; init; } = ["linear", "task_arithmetic", "ties", "dare_ties"];

    public int Threads { get; init; } = Environment.ProcessorCount;

    public string MemoryBudget { get; init; } = "8GB";

    /// <summary>A folder for the generated checkpoints that is kept between runs (generated only when missing).</summary>
    public string? KeepFolder { get; init; }

    /// <summary>merge-one only: the config to merge and where to write.</summary>
    public string? Config { get; init; }

    public string? Output { get; init; }

    /// <summary>Drop the page cache before each merge, so merges read from disk as the cold raw-read pass does.</summary>
    public bool Cold { get; init; }

    public static BenchmarkArguments Parse(string[] args)
    {
        var parsed = new BenchmarkArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--cold")
            {
                parsed = parsed with { Cold = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            parsed = name switch
            {
                "--size-gb" => parsed with { SizeGigabytes = double.Parse(value, CultureInfo.InvariantCulture) },
                "--methods" => parsed with { Methods = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--threads" => parsed with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                "--memory-budget" => parsed with { MemoryBudget = value },
                "--keep" => parsed with { KeepFolder = value },
                "--config" => parsed with { Config = value },
                "--output" => parsed with { Output = value },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return parsed;
    }
}
