using System.Text.RegularExpressions;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Turns a model reference from a config into a local folder. Medley reads local folders only: mergekit's
/// <c>path@revision</c>, <c>model+lora</c> and hub names <c>org/name</c> are refused with a message saying so,
/// unless a local folder of exactly that name exists (a folder may well contain '@' or '+').
/// </summary>
internal static partial class ModelReferenceResolver
{
    /// <summary>Resolves a reference against the config's folder.</summary>
    /// <param name="reference">The reference as written.</param>
    /// <param name="configFolder">The folder relative paths are taken from.</param>
    /// <param name="problem">Why it cannot be used, when it cannot.</param>
    /// <returns>The model; when <paramref name="problem"/> is set its folder does not exist and it only keeps the config's shape.</returns>
    public static ModelReference Resolve(string reference, string configFolder, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            problem = "expected the path of a model folder, got an empty string";
            return new ModelReference(reference, Path.Combine(configFolder, "<empty model reference>"));
        }

        var folder = Path.GetFullPath(Path.Combine(configFolder, reference));
        if (Directory.Exists(folder))
        {
            return new ModelReference(reference, folder);
        }

        var plus = reference.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            problem = $"'{reference}' names a LoRA adapter ('{reference[(plus + 1)..]}'); LoRA adapters are not supported yet: merge the adapter into its model first and name that folder";
        }
        else if (reference.Contains('@', StringComparison.Ordinal))
        {
            problem = $"'{reference}' names a revision; revisions are not supported yet: Medley does not download models, name a local folder holding that revision";
        }
        else if (HubName().IsMatch(reference))
        {
            problem = $"Medley does not download models: '{reference}' is not a local folder; download it first (for example `huggingface-cli download {reference} --local-dir DIR`) and name that folder, absolute or relative to the config file";
        }
        else
        {
            problem = $"model folder '{reference}' does not exist (looked for '{folder}')";
        }

        return new ModelReference(reference, folder);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex HubName();
}
