using System.Globalization;
using CsCheck;
using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;
using Medley.Sdk;

namespace Medley.RoutingStrategies.Tests;

public sealed class RouterCalibrationTests : IDisposable
{
    // Sorted: 0.1 0.2 0.2 0.4 0.9 (n = 5, so h = 4(1 − x)).
    private static readonly double[] s_scores = [0.9, 0.1, 0.4, 0.2, 0.2];
    private readonly string _folder = Directory.CreateTempSubdirectory("medley-calibration-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0.0, 0.9)] // h = 4: the largest score.
    [InlineData(0.25, 0.4)] // h = 3.
    [InlineData(0.5, 0.2)] // h = 2: inside the tie.
    [InlineData(0.6, 0.2)] // h = 1.6: between the tied 0.2s.
    [InlineData(0.1, 0.7)] // h = 3.6: 0.4 + 0.6 × (0.9 − 0.4).
    [InlineData(0.875, 0.15)] // h = 0.5: halfway from 0.1 to 0.2.
    [InlineData(1.0, 0.1)] // h = 0: the smallest score.
    public void The_threshold_is_the_linearly_interpolated_one_minus_x_quantile(double strongShare, double expected) =>
        Assert.Equal(expected, RouterCalibration.Threshold(s_scores, strongShare), 12);

    [Fact]
    public void All_equal_scores_give_that_score_and_one_score_is_its_own_quantile()
    {
        Assert.Equal(0.3, RouterCalibration.Threshold([0.3, 0.3, 0.3, 0.3], 0.5), 12);
        Assert.Equal(-2.0, RouterCalibration.Threshold([-2.0], 0.25), 12);
    }

    [Theory]
    [InlineData(-0.1, "parameter.invalid")]
    [InlineData(1.5, "parameter.invalid")]
    public void A_share_outside_zero_to_one_is_refused(double strongShare, string code) =>
        Assert.Equal(code, Assert.Throws<MedleyException>(() => RouterCalibration.Threshold(s_scores, strongShare)).Code);

    [Fact]
    public void No_scores_or_a_non_finite_score_is_refused()
    {
        Assert.Equal("router.calibration", Assert.Throws<MedleyException>(() => RouterCalibration.Threshold([], 0.5)).Code);
        Assert.Equal("router.calibration", Assert.Throws<MedleyException>(() => RouterCalibration.Threshold([0.1, double.NaN], 0.5)).Code);
    }

    [Fact]
    public void On_distinct_scores_the_share_routed_strong_is_within_one_over_n_of_x()
    {
        var scores = Gen.Double[-5, 5].Array[1, 60].Select(a => a.Distinct().ToArray());
        Gen.Select(scores, Gen.Double[0, 1]).Sample((values, x) =>
        {
            var threshold = RouterCalibration.Threshold(values, x);
            var strong = values.Count(s => s >= threshold);
            Assert.InRange((double)strong / values.Length, x - (1.0 / values.Length) - 1e-12, x + (1.0 / values.Length) + 1e-12);
        }, iter: 2000);
    }

    [Fact]
    public void Scores_are_read_from_json_lines_numbers_or_objects()
    {
        var path = Write("scores.jsonl", "0.9\n{\"score\": 0.1, \"prompt\": \"x\"}\n\n0.4\n{\"score\":0.2}\n0.2\n");
        Assert.Equal(s_scores, RouterCalibration.ReadScores(path));
    }

    [Fact]
    public void Scores_are_read_from_the_score_column_of_a_csv_file()
    {
        var path = Write("scores.csv", "id,score,prompt\n1,0.9,a\n2,0.1,b\n\n3,0.4,c\n4,0.2,d\n5,2e-1,e\n");
        Assert.Equal(s_scores, RouterCalibration.ReadScores(path));
    }

    [Theory]
    [InlineData("bad.jsonl", "0.1\n\"high\"\n", "line 2")]
    [InlineData("bad2.jsonl", "0.1\n{oops\n", "line 2")]
    [InlineData("bad.csv", "id,value\n1,0.3\n", "'score' column")]
    [InlineData("bad2.csv", "score\n0.3\nhigh\n", "line 3")]
    [InlineData("scores.txt", "0.3\n", "'.txt'")]
    public void A_malformed_calibration_file_is_an_error_naming_the_place(string name, string content, string mention)
    {
        var path = Write(name, content);
        var error = Assert.Throws<MedleyException>(() => RouterCalibration.ReadScores(path));
        Assert.Equal("router.calibration", error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_calibration_file_is_an_error()
    {
        var error = Assert.Throws<MedleyException>(() => RouterCalibration.ReadScores(Path.Combine(_folder, "none.jsonl")));
        Assert.Equal("router.calibration", error.Code);
    }

    [Fact]
    public async Task The_router_calibrates_its_threshold_from_the_file_and_the_strong_share()
    {
        // x = 0.25 gives threshold 0.4: judge scores 0.4 and 0.9 go strong, 0.2 and 0.39 weak.
        var path = Write("scores.jsonl", string.Join('\n', s_scores.Select(s => s.ToString(CultureInfo.InvariantCulture))));
        var ensemble = new TestEnsemble()
            .Member("weak", new ScriptedChatClient("w"), """{"tier":"weak"}""")
            .Member("strong", new ScriptedChatClient("s"), """{"tier":"strong"}""")
            .Add("judge", "judge", new ScriptedChatClient("0.4", "0.2", "0.9", "0.39"));
        var client = ensemble.Build(new RouterStrategy(), $$"""{"mode":"judge","calibration":{{System.Text.Json.JsonSerializer.Serialize(path)}},"strong_share":0.25}""");

        var winners = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            winners.Add(TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q")));
        }

        Assert.Equal(["strong", "weak", "strong", "weak"], winners);
    }

    [Fact]
    public void Calibration_without_a_strong_share_is_refused()
    {
        var path = Write("scores.jsonl", "0.1\n");
        var ensemble = new TestEnsemble()
            .Member("weak", new ScriptedChatClient("w"), """{"tier":"weak"}""")
            .Member("strong", new ScriptedChatClient("s"), """{"tier":"strong"}""")
            .Add("judge", "judge", new ScriptedChatClient("0.5"));
        var error = Assert.Throws<MedleyException>(() => ensemble.Build(new RouterStrategy(), $$"""{"mode":"judge","calibration":{{System.Text.Json.JsonSerializer.Serialize(path)}}}"""));
        Assert.Equal(("parameter.missing", true), (error.Code, error.Message.Contains("'strong_share'", StringComparison.Ordinal)));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
