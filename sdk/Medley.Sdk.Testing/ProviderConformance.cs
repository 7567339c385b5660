using Medley.Sdk.Providers;

namespace Medley.Sdk.Testing;

/// <summary>Checks an <see cref="IExecutionProvider"/> on any machine, with or without its hardware.</summary>
public static class ProviderConformance
{
    /// <summary>
    /// Checks: <see cref="IExecutionProvider.DeviceType"/> is a lower-case word; <see cref="IExecutionProvider.Probe"/>
    /// does not throw (a missing device is an answer, not an error), answers the same twice, gives a reason when
    /// unavailable and at least one device when available; <see cref="IExecutionProvider.Configure"/> appends an
    /// execution provider, for the device index given where the provider takes one.
    /// </summary>
    /// <param name="provider">The provider under test.</param>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static void Check(IExecutionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var subject = $"execution provider {provider.GetType().FullName}";
        var violations = new ViolationList();
        var deviceType = provider.DeviceType;
        if (string.IsNullOrEmpty(deviceType) || !deviceType.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            violations.Add($"DeviceType is \"{deviceType}\"; it must be a non-empty lower-case word such as \"cuda\" (users type it in --device).");
        }

        var first = TryProbe(provider, violations);
        var second = TryProbe(provider, violations);
        if (first is not null && second is not null && first.IsAvailable != second.IsAvailable)
        {
            violations.Add($"Probe answered IsAvailable {first.IsAvailable} then {second.IsAvailable}; probing must not change the answer.");
        }

        if (first is { IsAvailable: false } && string.IsNullOrWhiteSpace(first.Reason))
        {
            violations.Add("Probe reports the provider unavailable without a Reason; users need to know what is missing.");
        }

        if (first is { IsAvailable: true } && first.Devices.Count == 0)
        {
            violations.Add("Probe reports the provider available but lists no device.");
        }

        const int deviceIndex = 1;
        var recorder = new RecordingSessionConfigurator();
        try
        {
            provider.Configure(recorder, deviceIndex);
            if (recorder.Providers.Count == 0)
            {
                violations.Add($"Configure made no Append… call (calls: [{string.Join(", ", recorder.Calls)}]); it must append its execution provider.");
            }
            else if (recorder.Providers.Any(p => p.DeviceId is { } id && id != deviceIndex))
            {
                violations.Add($"Configure was asked for device {deviceIndex} but appended [{string.Join(", ", recorder.Calls)}].");
            }
        }
        catch (Exception ex)
        {
            violations.Add($"Configure threw {ex.GetType().Name}: {ex.Message}");
        }

        violations.ThrowIfAny(subject);
    }

    private static ProviderAvailability? TryProbe(IExecutionProvider provider, ViolationList violations)
    {
        try
        {
            return provider.Probe();
        }
        catch (Exception ex)
        {
            violations.Add($"Probe threw {ex.GetType().Name} ({ex.Message}); report a missing device or library as ProviderAvailability.Unavailable(reason).");
            return null;
        }
    }
}
