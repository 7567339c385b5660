using CsCheck;
using Medley.Host.Merging.Configuration;
using Medley.Sdk;

namespace Medley.MergeConfig.Tests;

public sealed class SerializationAndReaderTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public SerializationAndReaderTests()
    {
        _workspace.AddLlama("base", 4);
        _workspace.AddLlama("a", 4);
        _workspace.AddLlama("b", 4);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Canonical_yaml_has_a_fixed_shape_and_reads_back_to_the_same_config()
    {
        var config = _workspace.Load("""
            dtype: bfloat16
            parameters:
              int8_mask: true
            models:
              - model: a
                parameters:
                  density: [1, 0.7, 0.1]
                  weight:
                    - filter: mlp
                      value: [0, 0.5]
                    - value: 0
              - model: b
                parameters: {weight: 1.0, density: 0.5}
            merge_method: ties
            base_model: base
            name: my merge
            tokenizer_source: base
            chat_template: "{{ messages }}: 1"
            """);

        var yaml = MergeConfigYamlWriter.Write(config.Config);

        Assert.Equal(
            """
            name: my merge
            merge_method: ties
            base_model: base
            dtype: bfloat16
            tokenizer_source: base
            chat_template: '{{ messages }}: 1'
            parameters:
              int8_mask: true
            models:
            - model: a
              parameters:
                density: [1, 0.7, 0.1]
                weight:
                - filter: mlp
                  value: [0, 0.5]
                - value: 0
            - model: b
              parameters:
                weight: 1
                density: 0.5

            """.ReplaceLineEndings("\n"),
            yaml.ReplaceLineEndings("\n"));
        Assert.Equal(yaml, MergeConfigYamlWriter.Write(_workspace.Load(yaml).Config));
    }

    [Fact]
    public void Slices_and_strings_that_look_like_numbers_survive_a_round_trip()
    {
        _workspace.AddLlama("1.5", 4);
        var config = _workspace.Load("""
            merge_method: passthrough
            slices:
              - sources:
                  - model: "1.5"
                    layer_range: [0, 2]
                    parameters: {scale: [1, 0.5]}
              - sources:
                  - model: a
                    layer_range: [2, 4]
            """);

        var yaml = MergeConfigYamlWriter.Write(config.Config);
        var reread = _workspace.Load(yaml);

        Assert.Contains("model: \"1.5\"", yaml, StringComparison.Ordinal);
        Assert.Contains("layer_range: [0, 2]", yaml, StringComparison.Ordinal);
        Assert.Equal("1.5", reread.Config.Slices![0].Sources[0].Model.Name);
        Assert.Equal(yaml, MergeConfigYamlWriter.Write(reread.Config));
    }

    [Fact]
    public void Gradients_match_a_piecewise_linear_reference()
    {
        Gen.Select(Gen.Double[-2, 2].Array[1, 7], Gen.Int[0, 60], Gen.Int[1, 60]).Sample((anchors, i, n) =>
        {
            var layers = Math.Max(n, i + 1);
            var t = layers > 1 ? i / (double)(layers - 1) : 1;
            var actual = new GradientParameterSetting(anchors).Interpolate(t);

            // Reference: the polyline through (j/(k−1), anchors[j]), located by scanning its segments.
            double expected;
            if (anchors.Length == 1)
            {
                expected = anchors[0];
            }
            else
            {
                var segment = 0;
                while (segment < anchors.Length - 2 && t > (segment + 1) / (double)(anchors.Length - 1))
                {
                    segment++;
                }

                var x0 = segment / (double)(anchors.Length - 1);
                var x1 = (segment + 1) / (double)(anchors.Length - 1);
                expected = anchors[segment] + ((anchors[segment + 1] - anchors[segment]) * (t - x0) / (x1 - x0));
            }

            Assert.Equal(expected, actual, 1e-9);
        });
    }

    [Fact]
    public void Gradient_hand_cases()
    {
        var gradient = new GradientParameterSetting([0, 0.3, 0.7, 1]);

        Assert.Equal(0.0, gradient.Interpolate(0));
        Assert.Equal(1.0, gradient.Interpolate(1));
        Assert.Equal(0.5, gradient.Interpolate(0.5), 1e-12);       // p = 1.5: halfway between 0.3 and 0.7
        Assert.Equal(0.15, gradient.Interpolate(1.0 / 6), 1e-12);  // p = 0.5: halfway between 0 and 0.3
        Assert.Equal(4.0, new GradientParameterSetting([4]).Interpolate(0.7));
    }

    [Fact]
    public void Layer_count_reader_reads_llama_and_gpt2_configs()
    {
        var reader = new ConfigJsonLayerCountReader();

        Assert.Equal(new ModelLayerCount(4, "num_hidden_layers"), reader.Read(Path.Combine(_workspace.Root, "a")));
        Assert.Equal(new ModelLayerCount(12, "n_layer"), reader.Read(_workspace.AddGpt2("gpt", 12)));
    }

    [Theory]
    [InlineData("""{"num_hidden_layers": 0}""", "'num_hidden_layers' is 0; expected a positive whole number.")]
    [InlineData("""{"n_layer": "12"}""", "'n_layer' is \"12\"; expected a positive whole number.")]
    [InlineData("""{"n_layer": """, "is not valid JSON")]
    public void Layer_count_reader_rejects_bad_values(string json, string expected)
    {
        var folder = _workspace.AddModel("bad", json);

        var error = Assert.Throws<MedleyException>(() => new ConfigJsonLayerCountReader().Read(folder));

        Assert.Equal("model.config.invalid", error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_config_file_has_its_own_code()
    {
        var error = Assert.Throws<MedleyException>(() =>
            new MergeConfigLoader(FakeMethods.Catalog, new ConfigJsonLayerCountReader()).LoadFile(Path.Combine(_workspace.Root, "nope.yml")));

        Assert.Equal("merge.config.missing", error.Code);
    }

    [Fact]
    public void Yaml_syntax_error_message_is_readable()
    {
        var problem = Assert.Single(_workspace.Problems("merge_method: linear\nmodels:\n  - model: [a\n  - x: {\n"));

        Assert.DoesNotContain("Idx:", problem, StringComparison.Ordinal);
        Assert.Matches(@"^YAML syntax error (at|near) line \d+, column \d+", problem);
    }
}
