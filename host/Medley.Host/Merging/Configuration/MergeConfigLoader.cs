using Medley.Sdk;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Reads and validates a mergekit-format merge config. Every problem (syntax, unknown keys, method, models,
/// layer ranges, parameters) is reported in one <see cref="MedleyException"/> with code <c>merge.config.invalid</c>,
/// before any tensor is read.
/// </summary>
/// <param name="catalog">The registered merge methods.</param>
/// <param name="layerCountReader">Reads layer counts of model folders.</param>
internal sealed class MergeConfigLoader(IMergeMethodCatalog catalog, IModelLayerCountReader layerCountReader)
{
    /// <summary>Loads a config file; relative model paths are taken from the file's folder.</summary>
    /// <param name="path">The YAML file.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="MedleyException">When the file is missing or the config is invalid.</exception>
    public ValidatedMergeConfig LoadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new MedleyException("merge.config.missing", $"Merge config '{path}' does not exist.");
        }

        return Load(File.ReadAllText(fullPath), fullPath, Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Loads a config from text.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">A label for messages (the file name).</param>
    /// <param name="configFolder">The folder relative model paths are taken from.</param>
    /// <returns>The validated config.</returns>
    /// <exception cref="MedleyException">When the config is invalid.</exception>
    public ValidatedMergeConfig Load(string yaml, string source, string configFolder)
    {
        var problems = new ConfigProblems();
        var parsed = MergeConfigParser.Parse(yaml, source, configFolder, problems);
        var validated = parsed is null ? null : MergeConfigValidator.Validate(parsed, catalog, layerCountReader, problems);
        problems.ThrowIfAny(source);
        return validated!;
    }
}
