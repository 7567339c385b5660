using System.Globalization;
using Medley.Sdk;

namespace Medley.Cooperation.Contrastive;

/// <summary>The contrastive parameters after defaults and checks.</summary>
/// <param name="Formulation">Which score to use.</param>
/// <param name="Alpha">Plausibility cut, in [0, 1].</param>
/// <param name="Beta">Amateur weight for <see cref="ContrastiveFormulation.OBrien"/>, at least 0.</param>
/// <param name="AmateurTemperature">Amateur temperature for <see cref="ContrastiveFormulation.Li"/>, above 0.</param>
public sealed record ContrastiveSettings(ContrastiveFormulation Formulation, double Alpha, double Beta, double AmateurTemperature)
{
    /// <summary>Li et al.'s plausibility cut, also used by O'Brien &amp; Lewis.</summary>
    public const double DefaultAlpha = 0.1;

    /// <summary>O'Brien &amp; Lewis's amateur weight.</summary>
    public const double DefaultBeta = 0.5;

    /// <summary>The amateur temperature Li et al. report working best.</summary>
    public const double DefaultAmateurTemperature = 0.5;

    private const string FormulationParameter = "formulation";
    private const string AlphaParameter = "alpha";
    private const string BetaParameter = "beta";
    private const string AmateurTemperatureParameter = "amateur_temperature";

    /// <summary>
    /// Reads the parameters. The host has already checked them against the manifest's schema; the checks are
    /// repeated because a combiner can be started without the host (tests, other hosts), and a parameter set for
    /// the other formulation is refused because it would otherwise be silently ignored.
    /// </summary>
    /// <param name="parameters">The strategy parameters.</param>
    /// <returns>The settings.</returns>
    public static ContrastiveSettings Read(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var formulationName = parameters.GetString(FormulationParameter, "obrien");
        var formulation = formulationName switch
        {
            "obrien" => ContrastiveFormulation.OBrien,
            "li" => ContrastiveFormulation.Li,
            _ => throw new MedleyException(
                "parameter.invalid",
                $"Parameter '{FormulationParameter}' is \"{formulationName}\": expected \"obrien\" or \"li\"."),
        };

        var alpha = parameters.GetDouble(AlphaParameter, DefaultAlpha);
        if (!(alpha is >= 0 and <= 1))
        {
            throw Invalid(AlphaParameter, alpha, "a number between 0 and 1 (the share of the expert's top probability a token needs)");
        }

        var beta = parameters.GetDouble(BetaParameter, DefaultBeta);
        if (!(beta >= 0) || double.IsPositiveInfinity(beta))
        {
            throw Invalid(BetaParameter, beta, "a finite number of at least 0");
        }

        var temperature = parameters.GetDouble(AmateurTemperatureParameter, DefaultAmateurTemperature);
        if (!(temperature > 0) || double.IsPositiveInfinity(temperature))
        {
            throw Invalid(AmateurTemperatureParameter, temperature, "a finite number above 0");
        }

        // The host may hand over the schema's defaults filled in (as 'medley plugins check' shows them), so only a
        // value other than the default marks a parameter the user set for the other formulation.
        var (unused, unusedValue, unusedDefault) = formulation == ContrastiveFormulation.OBrien
            ? (AmateurTemperatureParameter, temperature, DefaultAmateurTemperature)
            : (BetaParameter, beta, DefaultBeta);
        if (unusedValue != unusedDefault)
        {
            throw new MedleyException(
                "contrastive.parameter.unused",
                string.Create(CultureInfo.InvariantCulture, $"Parameter '{unused}' is {unusedValue} but has no effect with formulation \"{formulationName}\": remove it, or set formulation to \"{(formulation == ContrastiveFormulation.OBrien ? "li" : "obrien")}\"."));
        }

        return new ContrastiveSettings(formulation, alpha, beta, temperature);
    }

    private static MedleyException Invalid(string name, double value, string expected) =>
        new("parameter.invalid", string.Create(CultureInfo.InvariantCulture, $"Parameter '{name}' is {value}: expected {expected}."));
}
