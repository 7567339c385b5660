namespace Medley.PluginPackaging.Tests;

/// <summary>
/// A theory that runs only when <c>MEDLEY_SLOW_TESTS=1</c>: the README's <c>dotnet test Host.sln</c> must stay within
/// CI's budget, so checks that take minutes are skipped there with the reason shown, and run on request.
/// </summary>
public sealed class SlowTheoryAttribute : TheoryAttribute
{
    /// <summary>The environment variable that turns slow tests on.</summary>
    public const string Switch = "MEDLEY_SLOW_TESTS";

    public SlowTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "1")
        {
            Skip = $"slow (minutes): run with {Switch}=1, e.g. {Switch}=1 dotnet test tests/Medley.PluginPackaging.Tests --filter Category=Slow";
        }
    }
}
