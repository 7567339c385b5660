namespace Medley.Host.Merging.Configuration;

/// <summary>
/// A parsed mergekit-format merge config. Exactly one of <see cref="Models"/> and <see cref="Slices"/> is set.
/// </summary>
internal sealed record MergeConfig
{
    /// <summary>The file the config came from, or a label when it was parsed from text.</summary>
    public required string Source { get; init; }

    /// <summary>The <c>merge_method</c> name.</summary>
    public required string MergeMethod { get; init; }

    /// <summary>The top-level <c>base_model</c>.</summary>
    public ModelReference? BaseModel { get; init; }

    /// <summary>The <c>models:</c> list, when the config uses it.</summary>
    public IReadOnlyList<MergeModelEntry>? Models { get; init; }

    /// <summary>The <c>slices:</c> list, when the config uses it.</summary>
    public IReadOnlyList<MergeSlice>? Slices { get; init; }

    /// <summary>Top-level parameters.</summary>
    public IReadOnlyDictionary<string, ParameterSetting> Parameters { get; init; } = new Dictionary<string, ParameterSetting>();

    /// <summary>The compute <c>dtype</c> as written; Medley always computes in float32 whatever it says.</summary>
    public string? Dtype { get; init; }

    /// <summary>The <c>out_dtype</c> the output tensors are saved in, when given.</summary>
    public string? OutDtype { get; init; }

    /// <summary><c>base</c>, or the name of the model whose tokenizer is copied.</summary>
    public string? TokenizerSource { get; init; }

    /// <summary><c>auto</c>, a named template (alpaca, chatml, llama3, mistral, exaone) or a Jinja template.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>The config's <c>name</c> label (not used by the merge).</summary>
    public string? Name { get; init; }

    /// <summary>Every model the config names, base first when there is one, without repeats.</summary>
    public IReadOnlyList<ModelReference> ReferencedModels
    {
        get
        {
            var all = new List<ModelReference>();
            void Add(ModelReference? model)
            {
                if (model is not null && all.TrueForAll(m => m.Name != model.Name))
                {
                    all.Add(model);
                }
            }

            Add(BaseModel);
            foreach (var entry in Models ?? [])
            {
                Add(entry.Model);
            }

            foreach (var slice in Slices ?? [])
            {
                Add(slice.BaseModel);
                foreach (var source in slice.Sources)
                {
                    Add(source.Model);
                }
            }

            return all;
        }
    }
}
