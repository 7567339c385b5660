namespace Medley.Host.Demo;

/// <summary>Stable error codes of <c>medley demo</c>.</summary>
public static class DemoErrorCodes
{
    /// <summary>The skills folder, one of its models or its task files are missing.</summary>
    public const string SkillsMissing = "demo.skills.missing";
}
