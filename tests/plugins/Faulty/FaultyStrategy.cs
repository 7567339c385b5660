using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.TestPlugins.Faulty;

/// <summary>A merge method whose constructor throws: the host must report it and keep the other plugins.</summary>
[MedleyStrategy("faulty_merge")]
public sealed class FaultyStrategy : IMergeMethod
{
    public FaultyStrategy() => throw new InvalidOperationException("the Faulty test plugin refuses to start");

    public MergeMethodTraits Traits { get; } = new();

    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("unreachable: the constructor throws");
}
