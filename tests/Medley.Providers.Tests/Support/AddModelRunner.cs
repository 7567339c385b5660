using Microsoft.ML.OnnxRuntime;

namespace Medley.Providers.Tests.Support;

/// <summary>Runs <see cref="AddModel"/> with given session options.</summary>
public static class AddModelRunner
{
    public static float[] Run(SessionOptions options, float[] a, float[] b)
    {
        using var session = new InferenceSession(AddModel.Build(), options);
        long[] shape = [3];
        using var left = OrtValue.CreateTensorValueFromMemory(a, shape);
        using var right = OrtValue.CreateTensorValueFromMemory(b, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["a", "b"], [left, right], ["sum"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
