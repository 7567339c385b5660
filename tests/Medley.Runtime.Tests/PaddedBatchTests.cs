using Microsoft.ML.OnnxRuntime;

namespace Medley.Runtime.Tests;

/// <summary>
/// The exported graph run directly with a left-padded batch of two: the attention mask must hide padding while
/// causality follows the past length, in the prefill and in a step with past.
/// </summary>
public sealed class PaddedBatchTests
{
    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public void Left_padding_and_past_length_combine_with_causality(string family)
    {
        var checkpoint = family == "gpt2" ? TinyCheckpoint.Gpt2(seed: 81) : TinyCheckpoint.Llama(seed: 81, kvHeads: 2);
        int[] full = [5, 17, 3, 42, 9, 63];
        int[] shortSequence = [8, 30, 2, 11];
        using var temp = new TempFolder();
        var folder = ModelFixtures.Export(checkpoint, temp);
        using var session = new InferenceSession(Path.Combine(folder, "model.onnx"));
        int layers = checkpoint.IntConfig(family == "gpt2" ? "n_layer" : "num_hidden_layers"), kvHeads = family == "gpt2" ? 4 : 2;

        // Prefill the first 4 columns, then 2 more with the cache. Row 1 is [pad, pad, 8, 30 | 2, 11].
        long[][] ids = [[5, 17, 3, 42, 9, 63], [0, 0, 8, 30, 2, 11]];
        long[][] mask = [[1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1]];
        long[][] positions = [[0, 1, 2, 3, 4, 5], [1, 1, 0, 1, 2, 3]];
        var past = Enumerable.Range(0, 2 * layers).Select(_ => OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [2, kvHeads, 0, 8])).ToList();
        var prefill = Run(session, layers, Columns(ids, 0, 4), Columns(mask, 0, 4), Columns(positions, 0, 4), past, out var present);
        var step = Run(session, layers, Columns(ids, 4, 6), Columns(mask, 0, 6), Columns(positions, 4, 6), present, out var final);

        var vocab = checkpoint.Vocab;
        double[][] Reference(int[] tokens) => family == "gpt2" ? ReferenceForward.Gpt2(checkpoint, tokens) : ReferenceForward.Llama(checkpoint, tokens);
        var referenceFull = Reference(full);
        var referenceShort = Reference(shortSequence);
        float[] Row(float[] logits, int batch, int position, int length) => logits.AsSpan((batch * length + position) * vocab, vocab).ToArray();

        var fullRows = new[] { Row(prefill, 0, 0, 4), Row(prefill, 0, 3, 4), Row(step, 0, 0, 2), Row(step, 0, 1, 2) };
        Assert.True(ModelFixtures.MaxAbsDiff(fullRows, [referenceFull[0], referenceFull[3], referenceFull[4], referenceFull[5]]) <= 1e-4);
        var shortRows = new[] { Row(prefill, 1, 2, 4), Row(prefill, 1, 3, 4), Row(step, 1, 0, 2), Row(step, 1, 1, 2) };
        Assert.True(ModelFixtures.MaxAbsDiff(shortRows, referenceShort) <= 1e-4);
        Assert.All(Row(prefill, 1, 0, 4), v => Assert.True(float.IsFinite(v)));
        Assert.Equal([2, kvHeads, 6, 8], final[0].GetTensorTypeAndShape().Shape);

        foreach (var value in past.Concat(present).Concat(final))
        {
            value.Dispose();
        }
    }

    private static long[] Columns(long[][] rows, int from, int to) => rows.SelectMany(r => r[from..to]).ToArray();

    private static float[] Run(InferenceSession session, int layers, long[] ids, long[] mask, long[] positions, List<OrtValue> past, out List<OrtValue> present)
    {
        var width = ids.Length / 2;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [2, width]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [2, mask.Length / 2]);
        using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [2, width]);
        var names = new List<string> { "input_ids", "attention_mask", "position_ids" };
        var outputNames = new List<string> { "logits" };
        for (var i = 0; i < layers; i++)
        {
            names.AddRange([$"past_key_values.{i}.key", $"past_key_values.{i}.value"]);
            outputNames.AddRange([$"present.{i}.key", $"present.{i}.value"]);
        }

        using var runOptions = new RunOptions();
        var outputs = session.Run(runOptions, names, [idsValue, maskValue, positionsValue, .. past], outputNames).ToList();
        var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        outputs[0].Dispose();
        present = outputs.Skip(1).ToList();
        return logits;
    }
}
