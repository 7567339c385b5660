using Medley.Host.Plugins;
using Medley.Host.Runtime;
using Medley.Host.Runtime.Devices;
using Medley.Host.Tokenization;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Host.Running;

/// <summary>
/// A run's models, loaded once (each on its device) and wrapped to count their forward passes; one loaded set
/// serves any number of prompts.
/// </summary>
public sealed class LoadedMembers : IDisposable
{
    private readonly IReadOnlyList<ICausalLanguageModel> _owned;

    private LoadedMembers(IReadOnlyList<DecodingMember> members, IReadOnlyList<CountingLanguageModel> models, IReadOnlyList<ICausalLanguageModel> owned)
    {
        Members = members;
        Models = models;
        _owned = owned;
    }

    /// <summary>The members as strategies see them (their models count forward passes).</summary>
    public IReadOnlyList<DecodingMember> Members { get; }

    /// <summary>The counting models, in member order.</summary>
    public IReadOnlyList<CountingLanguageModel> Models { get; }

    /// <summary>Loads every member of a run config in parallel, each on its own device.</summary>
    /// <param name="catalog">Where execution-provider plugins come from.</param>
    /// <param name="config">The run config.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The loaded members; dispose them to free the models.</returns>
    public static async Task<LoadedMembers> LoadAsync(PluginCatalog catalog, RunConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(config);
        // Devices are chosen one after another (the choice may pin a native library); loading then runs in parallel.
        var selector = new DeviceSelector(catalog);
        var plans = config.Members.Select(member => (Member: member, Selection: selector.Select(member.Device ?? config.Device))).ToList();
        var loads = plans.Select(plan => Task.Run(
            () => (ICausalLanguageModel)OnnxCausalLanguageModel.Load(new OnnxModelOptions
            {
                Path = plan.Member.Path,
                Name = plan.Member.Name,
                TokenizerFactory = HfTokenizerLoader.Load,
                ConfigureSession = plan.Selection.ConfigureSession,
                Device = $"{plan.Selection.Candidate.DeviceType}:{plan.Selection.Device.Index}",
            }),
            cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(loads).ConfigureAwait(false);
        }
        catch
        {
            foreach (var load in loads.Where(l => l.IsCompletedSuccessfully))
            {
                load.Result.Dispose();
            }

            throw;
        }

        return FromModels(config.Members.Zip(loads, (member, load) => (member, load.Result)).ToList(), ownsModels: true);
    }

    /// <summary>Members from models loaded elsewhere (tests, embedders).</summary>
    /// <param name="members">Each member's config with its model.</param>
    /// <param name="ownsModels">Whether disposing these members disposes the models.</param>
    /// <returns>The members.</returns>
    public static LoadedMembers FromModels(IReadOnlyList<(RunMemberConfig Config, ICausalLanguageModel Model)> members, bool ownsModels)
    {
        ArgumentNullException.ThrowIfNull(members);
        var models = members.Select(m => new CountingLanguageModel(m.Model)).ToList();
        var decoding = members.Select((m, i) => new DecodingMember(m.Config.Role, m.Config.Name, models[i], m.Config.Parameters)).ToList();
        return new LoadedMembers(decoding, models, ownsModels ? members.Select(m => m.Model).ToList() : []);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _owned)
        {
            model.Dispose();
        }
    }
}
