using Medley.Sdk.Responses;

namespace Medley.Ensemble.MixtureOfAgents;

/// <summary>One layer of proposers, numbered from 1, in run-config member order.</summary>
internal sealed record ProposerLayer(int Number, IReadOnlyList<ResponseMember> Proposers);
