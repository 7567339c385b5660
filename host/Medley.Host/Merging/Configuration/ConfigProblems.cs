using Medley.Sdk;

namespace Medley.Host.Merging.Configuration;

/// <summary>Collects every problem of a merge config so that the user sees them all in one error.</summary>
internal sealed class ConfigProblems
{
    /// <summary>The stable error code for an invalid merge config.</summary>
    public const string Code = "merge.config.invalid";

    private readonly List<string> _lines = [];

    /// <summary>The problems so far, one line each.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Whether any problem was found.</summary>
    public bool Any => _lines.Count > 0;

    /// <summary>Records a problem at a YAML path.</summary>
    /// <param name="path">Where, like <c>models[1].parameters.density</c>; empty for the whole document.</param>
    /// <param name="message">What is wrong and what was expected.</param>
    public void Add(string path, string message) => _lines.Add(path.Length == 0 ? message : $"{path}: {message}");

    /// <summary>Throws one <see cref="MedleyException"/> listing every problem, if there are any.</summary>
    /// <param name="source">The config file, for the message.</param>
    /// <exception cref="MedleyException">When problems were recorded.</exception>
    public void ThrowIfAny(string source)
    {
        if (_lines.Count == 0)
        {
            return;
        }

        var count = _lines.Count == 1 ? "1 problem" : $"{_lines.Count} problems";
        throw new MedleyException(
            Code,
            $"Merge config '{source}' has {count}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", _lines)}",
            details: _lines.ToList());
    }
}
