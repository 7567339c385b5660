using Medley.Sdk;

namespace Medley.Ensemble.Responses;

/// <summary>How many answers to ask for, how many calls may run at once and how many answers a request needs.</summary>
internal sealed record FanOutSettings(int Samples, int Concurrency, int Quorum)
{
    public static FanOutSettings FromParameters(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new FanOutSettings(
            AtLeastOne(parameters, "samples", 1),
            AtLeastOne(parameters, "concurrency", 4),
            AtLeastOne(parameters, "quorum", 1));
    }

    private static int AtLeastOne(StrategyParameters parameters, string name, int defaultValue)
    {
        var value = parameters.GetInt32(name, defaultValue);
        return value >= 1
            ? value
            : throw new MedleyException("parameter.invalid", $"Parameter '{name}' is {value}: expected an integer of at least 1.");
    }
}
