using System.Globalization;

namespace Medley.Benchmarks;

/// <summary>mergekit YAML configs for the benchmarked methods over the generated base and three fine-tunes.</summary>
internal static class MergeConfigs
{
    private static readonly double[] Weights = [0.5, 0.3, 0.2];

    public static string Write(string folder, string method, string baseModel, IReadOnlyList<string> fineTunes)
    {
        var models = new System.Text.StringBuilder();
        for (var i = 0; i < fineTunes.Count; i++)
        {
            var weight = Weights[i % Weights.Length].ToString(CultureInfo.InvariantCulture);
            var parameters = method switch
            {
                "ties" or "dare_ties" or "dare_linear" or "breadcrumbs" or "breadcrumbs_ties" or "della" => $"{{ weight: {weight}, density: 0.5 }}",
                _ => $"{{ weight: {weight} }}",
            };
            models.Append(CultureInfo.InvariantCulture, $"  - model: {fineTunes[i]}\n    parameters: {parameters}\n");
        }

        // linear has no base: naming the base merges it as a fourth ordinary input, so every method reads the same bytes.
        var extra = method == "linear" ? $"  - model: {baseModel}\n    parameters: {{ weight: 0.1 }}\n" : string.Empty;
        var yaml = $"merge_method: {method}\nbase_model: {baseModel}\nmodels:\n{models}{extra}dtype: bfloat16\n";
        var path = Path.Combine(folder, $"{method}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
