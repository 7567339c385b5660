namespace Medley.Merging.EndToEnd.Tests;

public sealed class SmokeTests : IDisposable
{
    private readonly Workspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Linear_merge_through_the_cli()
    {
        TinyCheckpoint.Llama(_ws.PathOf("a"), 1);
        TinyCheckpoint.Llama(_ws.PathOf("b"), 2);
        var config = _ws.WriteConfig("""
            merge_method: linear
            models:
              - model: ./a
                parameters: { weight: 1.0 }
              - model: ./b
                parameters: { weight: 3.0 }
            dtype: float32
            """);
        var run = await Medley.RunAsync("merge", config, "-o", _ws.PathOf("out"), "--json");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var a = TinyCheckpoint.Read(_ws.PathOf("a"), "model.layers.1.mlp.up_proj.weight");
        var b = TinyCheckpoint.Read(_ws.PathOf("b"), "model.layers.1.mlp.up_proj.weight");
        var o = TinyCheckpoint.Read(_ws.PathOf("out"), "model.layers.1.mlp.up_proj.weight");
        for (var i = 0; i < o.Length; i++)
        {
            Assert.Equal((a[i] + (3.0 * b[i])) / 4.0, o[i], 1e-6);
        }
    }
}
