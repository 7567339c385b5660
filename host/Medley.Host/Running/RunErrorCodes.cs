namespace Medley.Host.Running;

/// <summary>The stable error codes of run configs and strategy runs (docs/errors.md).</summary>
public static class RunErrorCodes
{
    /// <summary>The run config cannot be read or breaks <c>run-config.schema.json</c>.</summary>
    public const string ConfigInvalid = "run.config.invalid";

    /// <summary>The models given do not fit the roles the strategy declares.</summary>
    public const string RolesInvalid = "run.roles.invalid";

    /// <summary>The strategy is not a token-level (step or decoding) strategy.</summary>
    public const string StrategyKindInvalid = "run.strategy.kind";

    /// <summary>A step strategy's members do not share a vocabulary.</summary>
    public const string VocabularyMismatch = "run.vocabulary.mismatch";

    /// <summary>The prompt encodes to no tokens.</summary>
    public const string PromptEmpty = "run.prompt.empty";

    /// <summary>A token-level strategy's config names a remote member.</summary>
    public const string MemberRemote = "run.member.remote";
}
