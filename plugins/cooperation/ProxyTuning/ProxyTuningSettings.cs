using System.Globalization;
using Medley.Sdk;

namespace Medley.Cooperation.ProxyTuning;

/// <summary>The proxy-tuning parameters after defaults and checks.</summary>
/// <param name="Form">Logit (proxy) or log-probability (EFT) arithmetic.</param>
/// <param name="Weight">α for <see cref="ProxyTuningForm.Proxy"/>, β for <see cref="ProxyTuningForm.Eft"/>; at least 0.</param>
public sealed record ProxyTuningSettings(ProxyTuningForm Form, double Weight)
{
    /// <summary>Liu et al.'s α: the full difference of the small models.</summary>
    public const double DefaultAlpha = 1;

    /// <summary>EFT's β: the plain emulation of the small model's fine-tuning.</summary>
    public const double DefaultBeta = 1;

    private const string FormParameter = "form";
    private const string AlphaParameter = "alpha";
    private const string BetaParameter = "beta";

    /// <summary>
    /// Reads the parameters. The host has already checked them against the manifest's schema; the checks are
    /// repeated because a combiner can be started without the host, and a weight set for the other form is refused
    /// because it would otherwise be silently ignored.
    /// </summary>
    /// <param name="parameters">The strategy parameters.</param>
    /// <returns>The settings.</returns>
    public static ProxyTuningSettings Read(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var formName = parameters.GetString(FormParameter, "proxy");
        var form = formName switch
        {
            "proxy" => ProxyTuningForm.Proxy,
            "eft" => ProxyTuningForm.Eft,
            _ => throw new MedleyException("parameter.invalid", $"Parameter '{FormParameter}' is \"{formName}\": expected \"proxy\" or \"eft\"."),
        };

        var (used, unused, fallback, unusedDefault) = form == ProxyTuningForm.Proxy
            ? (AlphaParameter, BetaParameter, DefaultAlpha, DefaultBeta)
            : (BetaParameter, AlphaParameter, DefaultBeta, DefaultAlpha);

        // The host may hand over the schema's defaults filled in (as 'medley plugins check' shows them), so only a
        // value other than the default marks a weight the user set for the other form.
        var unusedValue = parameters.GetDouble(unused, unusedDefault);
        if (unusedValue != unusedDefault)
        {
            throw new MedleyException(
                "proxy-tuning.parameter.unused",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Parameter '{unused}' is {unusedValue} but has no effect with form \"{formName}\", which is weighted by '{used}': remove '{unused}', or set form to \"{(form == ProxyTuningForm.Proxy ? "eft" : "proxy")}\"."));
        }

        var weight = parameters.GetDouble(used, fallback);
        if (!(weight >= 0) || double.IsPositiveInfinity(weight))
        {
            throw new MedleyException(
                "parameter.invalid",
                string.Create(CultureInfo.InvariantCulture, $"Parameter '{used}' is {weight}: expected a finite number of at least 0 (0 decodes with the base model alone)."));
        }

        return new ProxyTuningSettings(form, weight);
    }
}
