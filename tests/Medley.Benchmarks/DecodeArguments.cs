using System.Globalization;

namespace Medley.Benchmarks;

/// <summary>The options of decode-overhead and its child decode-one, parsed from <c>--name value</c> pairs.</summary>
internal sealed record DecodeArguments
{
    /// <summary>New tokens generated per run.</summary>
    public int Tokens { get; init; } = 128;

    public int PromptTokens { get; init; } = 64;

    /// <summary>Measured runs per side, after one warm-up run.</summary>
    public int Repeats { get; init; } = 3;

    public string Device { get; init; } = "cpu";

    /// <summary>Transformer layers of the GPT-2-shaped model; 12 is GPT-2 small (124M parameters).</summary>
    public int Layers { get; init; } = 12;

    /// <summary>A folder for the generated checkpoint and its export that is kept between runs.</summary>
    public string? KeepFolder { get; init; }

    /// <summary>decode-one only: <c>medley</c> or <c>raw</c>, and the exported model folder.</summary>
    public string? Side { get; init; }

    public string? Model { get; init; }

    public static DecodeArguments Parse(string[] args)
    {
        var parsed = new DecodeArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            parsed = name switch
            {
                "--tokens" => parsed with { Tokens = Positive(name, value) },
                "--prompt-tokens" => parsed with { PromptTokens = Positive(name, value) },
                "--repeats" => parsed with { Repeats = Positive(name, value) },
                "--device" => parsed with { Device = value },
                "--layers" => parsed with { Layers = Positive(name, value) },
                "--keep" => parsed with { KeepFolder = value },
                "--side" => parsed with { Side = value },
                "--model" => parsed with { Model = value },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (parsed.PromptTokens + parsed.Tokens > Gpt2Checkpoint.Positions)
        {
            throw new ArgumentException($"--prompt-tokens {parsed.PromptTokens} plus --tokens {parsed.Tokens} exceed the model's {Gpt2Checkpoint.Positions} positions.");
        }

        return parsed;
    }

    /// <summary>The arguments a decode-one child needs to repeat this measurement.</summary>
    public IEnumerable<string> ChildArguments(string side, string model) =>
    [
        "decode-one", "--side", side, "--model", model, "--device", Device,
        "--tokens", Tokens.ToString(CultureInfo.InvariantCulture),
        "--prompt-tokens", PromptTokens.ToString(CultureInfo.InvariantCulture),
        "--repeats", Repeats.ToString(CultureInfo.InvariantCulture),
    ];

    private static int Positive(string name, string value)
    {
        var number = int.Parse(value, CultureInfo.InvariantCulture);
        return number > 0 ? number : throw new ArgumentException($"Option '{name}' is {number}; expected at least 1.");
    }
}
