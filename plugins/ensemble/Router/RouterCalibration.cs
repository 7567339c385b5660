using System.Globalization;
using System.Text.Json;
using Medley.Sdk;

namespace Medley.Ensemble.Router;

/// <summary>
/// RouteLLM-style threshold calibration: to send a share x of requests to the strong tier, the threshold is the
/// (1 − x) quantile of the router's scores on a calibration set, and a request goes strong when its score is at least
/// the threshold.
/// </summary>
public static class RouterCalibration
{
    /// <summary>
    /// The (1 − <paramref name="strongShare"/>) quantile of <paramref name="scores"/> with linear interpolation
    /// (numpy's default, "type 7"): with the scores sorted ascending as s[0..n−1] and h = (n − 1)(1 − x), the threshold
    /// is s[⌊h⌋] + (h − ⌊h⌋)(s[⌊h⌋ + 1] − s[⌊h⌋]). On distinct scores the share routed strong (score ≥ threshold) is
    /// within 1/n of x.
    /// </summary>
    /// <param name="scores">Router scores on the calibration set (at least one, all finite).</param>
    /// <param name="strongShare">x, the share of requests meant for the strong tier, in [0, 1].</param>
    /// <returns>The threshold.</returns>
    public static double Threshold(IReadOnlyList<double> scores, double strongShare)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (strongShare is not (>= 0 and <= 1))
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'strong_share' is {strongShare.ToString(CultureInfo.InvariantCulture)}: expected a share between 0 and 1.");
        }

        if (scores.Count == 0)
        {
            throw new MedleyException("router.calibration", "The calibration scores are empty: expected at least one router score.");
        }

        if (scores.Any(s => !double.IsFinite(s)))
        {
            throw new MedleyException("router.calibration", "The calibration scores include a value that is not a finite number.");
        }

        var sorted = scores.Order().ToArray();
        var h = (sorted.Length - 1) * (1 - strongShare);
        var below = (int)Math.Floor(h);
        var fraction = h - below;
        return below + 1 < sorted.Length ? sorted[below] + (fraction * (sorted[below + 1] - sorted[below])) : sorted[below];
    }

    /// <summary>
    /// Reads router scores from a calibration file. <c>.jsonl</c>: one score per line, either a bare number or an
    /// object with a numeric <c>score</c>. <c>.csv</c>: a header row with a <c>score</c> column (comma-separated, no
    /// quoted commas). Blank lines are skipped.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The scores in file order.</returns>
    public static IReadOnlyList<double> ReadScores(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new MedleyException("router.calibration", $"Calibration file '{path}' does not exist: expected a .jsonl or .csv file of router scores.");
        }

        var lines = File.ReadAllLines(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JSONL" => ReadJsonLines(path, lines),
            ".CSV" => ReadCsv(path, lines),
            _ => throw new MedleyException("router.calibration", $"Calibration file '{path}' has extension '{Path.GetExtension(path)}': expected .jsonl or .csv."),
        };
    }

    private static List<double> ReadJsonLines(string path, string[] lines)
    {
        var scores = new List<double>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                var root = document.RootElement;
                var value = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("score", out var score) ? score : root;
                scores.Add(value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Bad(path, i, "a number or an object with a numeric \"score\""));
            }
            catch (JsonException error)
            {
                throw new MedleyException("router.calibration", $"Calibration file '{path}' line {i + 1} is not JSON: {error.Message}", innerException: error);
            }
        }

        return scores;
    }

    private static List<double> ReadCsv(string path, string[] lines)
    {
        var header = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        var column = header < 0 ? -1 : Array.FindIndex(lines[header].Split(','), c => c.Trim().Trim('"') == "score");
        if (column < 0)
        {
            throw new MedleyException("router.calibration", $"Calibration file '{path}' has no header row with a 'score' column.");
        }

        var scores = new List<double>();
        for (var i = header + 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var cells = lines[i].Split(',');
            scores.Add(column < cells.Length && double.TryParse(cells[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
                ? score
                : throw Bad(path, i, "a number in the 'score' column"));
        }

        return scores;
    }

    private static MedleyException Bad(string path, int line, string expected) =>
        new("router.calibration", $"Calibration file '{path}' line {line + 1}: expected {expected}.");
}
