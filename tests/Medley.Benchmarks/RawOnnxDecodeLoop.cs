using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Medley.Benchmarks;

/// <summary>
/// The baseline: the least code that decodes greedily with ONNX Runtime on an Optimum-layout decoder. Default
/// session options (what Medley's CPU provider leaves them at), OrtValues over plain arrays for the inputs, each
/// run's present.* outputs fed back as the next run's past_key_values.* without a copy, argmax over the last
/// logits row read in place.
/// </summary>
internal static class RawOnnxDecodeLoop
{
    /// <summary>Loads a session (as a one-shot program would), then times prefill and decode the way Medley's statistics do.</summary>
    public static (DecodeRun Run, List<int> Tokens) Generate(string modelFile, string device, int[] prompt, int newTokens)
    {
        using var options = new SessionOptions();
        if (device.StartsWith("cuda", StringComparison.Ordinal))
        {
            options.AppendExecutionProvider_CUDA(device.Contains(':', StringComparison.Ordinal) ? int.Parse(device[(device.IndexOf(':', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0);
        }
        else if (device != "cpu")
        {
            throw new ArgumentException($"The raw loop runs on cpu or cuda[:N], not '{device}'.");
        }

        using var session = new InferenceSession(modelFile, options);
        var pastNames = session.InputMetadata.Keys.Where(n => n.StartsWith("past_key_values.", StringComparison.Ordinal)).ToList();
        var presentNames = pastNames.Select(n => "present." + n["past_key_values.".Length..]).ToList();
        var cacheShape = session.InputMetadata[pastNames[0]].Dimensions;
        var outputNames = new List<string> { "logits" };
        outputNames.AddRange(presentNames);
        var inputNames = new List<string> { "input_ids", "attention_mask", "position_ids" };
        inputNames.AddRange(pastNames);
        using var runOptions = new RunOptions();

        var cache = pastNames
            .Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [1, cacheShape[1], 0, cacheShape[3]]))
            .ToArray();
        var length = 0;
        try
        {
            int Step(ReadOnlySpan<int> tokens)
            {
                var count = tokens.Length;
                var ids = new long[count];
                var positions = new long[count];
                for (var i = 0; i < count; i++)
                {
                    ids[i] = tokens[i];
                    positions[i] = length + i;
                }

                var mask = new long[length + count];
                Array.Fill(mask, 1L);
                using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, count]);
                using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [1, length + count]);
                using var positionsValue = OrtValue.CreateTensorValueFromMemory(positions, [1, count]);
                var inputs = new List<OrtValue>(inputNames.Count) { idsValue, maskValue, positionsValue };
                inputs.AddRange(cache);
                // Not disposed as a collection: the cache tensors live on as the next run's past.
                var outputs = session.Run(runOptions, inputNames, inputs, outputNames).ToArray();
                var logits = outputs[0];
                var width = (int)logits.GetTensorTypeAndShape().Shape[2];
                var next = TensorPrimitives.IndexOfMax(logits.GetTensorDataAsSpan<float>().Slice((count - 1) * width, width));
                logits.Dispose();
                for (var i = 0; i < cache.Length; i++)
                {
                    cache[i].Dispose();
                    cache[i] = outputs[i + 1];
                }

                length += count;
                return next;
            }

            var clock = Stopwatch.StartNew();
            var token = Step(prompt);
            var prefill = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var generated = new List<int>(newTokens) { token };
            while (generated.Count < newTokens)
            {
                token = Step([token]);
                generated.Add(token);
            }

            return (new DecodeRun(prompt.Length, prefill, generated.Count, clock.Elapsed.TotalSeconds), generated);
        }
        finally
        {
            foreach (var value in cache)
            {
                value.Dispose();
            }
        }
    }
}
