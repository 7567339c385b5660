namespace Medley.Sdk.Testing;

/// <summary>Runs a call with an already cancelled token and records how it ended.</summary>
internal static class CancellationProbe
{
    public static async Task CheckAsync(string what, Func<CancellationToken, Task> call, TimeSpan bound, ViolationList violations)
    {
        using var source = new CancellationTokenSource();
        await source.CancelAsync().ConfigureAwait(false);
        // Task.Run keeps a strategy that blocks synchronously from blocking the bound as well.
        var running = Task.Run(() => call(source.Token));
        try
        {
            await running.WaitAsync(bound).ConfigureAwait(false);
            violations.Add($"{what} with an already cancelled token completed normally; it must throw OperationCanceledException.");
        }
        catch (TimeoutException)
        {
            violations.Add($"{what} with an already cancelled token was still running after {bound.TotalSeconds:0.#} s; it must throw OperationCanceledException promptly.");
        }
        catch (OperationCanceledException)
        {
            // The contract: cancellation surfaces as OperationCanceledException (TaskCanceledException included).
        }
        catch (Exception ex)
        {
            violations.Add($"{what} with an already cancelled token threw {ex.GetType().Name} ({ex.Message}) instead of OperationCanceledException.");
        }
    }
}
