using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Sdk.Models;

namespace Medley.Runtime.Tests;

/// <summary>Exporting tiny checkpoints, loading them, and comparing logits.</summary>
public static class ModelFixtures
{
    public static readonly int[] Prompt = [5, 17, 3, 42, 9, 63, 0, 28];

    public static string Export(TinyCheckpoint checkpoint, TempFolder temp, OnnxExportOptions? options = null, string name = "onnx")
    {
        var source = checkpoint.Write(temp.Combine(name + "-hf"));
        OnnxExporter.Export(source, temp.Combine(name), options);
        return temp.Combine(name);
    }

    public static OnnxCausalLanguageModel Load(string path, int? tokenizerVocabulary = null, bool bindCache = false) =>
        OnnxCausalLanguageModel.Load(new OnnxModelOptions
        {
            Path = path,
            TokenizerFactory = _ => new TestTokenizer(tokenizerVocabulary ?? 64),
            BindCacheOnCpu = bindCache,
        });

    public static async Task<float[][]> AllAtOnce(ICausalLanguageModel model, IReadOnlyList<int> tokens)
    {
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(tokens.ToArray(), LogitsScope.All);
        return Enumerable.Range(0, logits.Positions).Select(i => logits.Row(i).ToArray()).ToArray();
    }

    public static async Task<float[][]> OneByOne(IDecodingSession session, IReadOnlyList<int> tokens)
    {
        var rows = new List<float[]>();
        foreach (var token in tokens)
        {
            var logits = await session.AppendAsync(new[] { token });
            Assert.Equal(1, logits.Positions);
            rows.Add(logits.Last.ToArray());
        }

        return rows.ToArray();
    }

    public static double MaxAbsDiff(IReadOnlyList<float[]> actual, IReadOnlyList<double[]> expected)
    {
        Assert.Equal(expected.Count, actual.Count);
        double max = 0;
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Length, actual[r].Length);
            for (var i = 0; i < expected[r].Length; i++)
            {
                max = Math.Max(max, Math.Abs(actual[r][i] - expected[r][i]));
            }
        }

        return max;
    }

    public static double MaxAbsDiff(IReadOnlyList<float[]> actual, IReadOnlyList<float[]> expected) =>
        MaxAbsDiff(actual, expected.Select(r => r.Select(v => (double)v).ToArray()).ToArray());
}
