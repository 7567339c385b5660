using System.Diagnostics;
using System.Text.Json;
using Mediator;
using Medley.Host.Hosting;
using Medley.Host.Pipeline;
using Medley.Host.Requests;
using Medley.Host.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Medley.Host.Tests.Pipeline;

public sealed class PipelineTests : IDisposable
{
    private readonly PluginSandbox _sandbox = new();

    public PipelineTests() => _sandbox.Add("Alpha");

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Validation_rejects_parameters_that_break_the_schema_listing_every_violation_and_the_handler_never_runs()
    {
        var spy = new HandlerSpy();
        await using var host = CreateHost(spy);
        using var parameters = JsonDocument.Parse("{\"weight\": 1.5, \"mode\": \"mix\", \"repeat\": 0, \"colour\": \"red\"}");

        var error = await Assert.ThrowsAsync<MedleyException>(async () =>
            await host.Mediator.Send(new CheckStrategyParameters("alpha_blend", parameters.RootElement)));

        Assert.Equal("request.invalid", error.Code);
        Assert.Equal(0, spy.Calls);
        Assert.Equal(4, error.Details.Count);
        Assert.Contains(error.Details, d => d.StartsWith("parameters of strategy 'alpha_blend' at /weight: ", StringComparison.Ordinal) && d.Contains("1.5", StringComparison.Ordinal));
        Assert.Contains(error.Details, d => d.StartsWith("parameters of strategy 'alpha_blend' at /mode: ", StringComparison.Ordinal));
        Assert.Contains(error.Details, d => d.StartsWith("parameters of strategy 'alpha_blend' at /repeat: ", StringComparison.Ordinal));
        Assert.Contains(error.Details, d => d.StartsWith("parameters of strategy 'alpha_blend' at /colour: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validation_reports_a_missing_required_parameter()
    {
        var spy = new HandlerSpy();
        await using var host = CreateHost(spy);
        using var parameters = JsonDocument.Parse("{}");

        var error = await Assert.ThrowsAsync<MedleyException>(async () =>
            await host.Mediator.Send(new CheckStrategyParameters("alpha_blend", parameters.RootElement)));

        Assert.Equal(0, spy.Calls);
        var detail = Assert.Single(error.Details);
        Assert.StartsWith("parameters of strategy 'alpha_blend' at /: ", detail, StringComparison.Ordinal);
        Assert.Contains("weight", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_parameters_reach_the_handler_and_come_back_with_defaults_filled_in()
    {
        var spy = new HandlerSpy();
        await using var host = CreateHost(spy);
        using var parameters = JsonDocument.Parse("{\"weight\": 0.25}");

        var result = await host.Mediator.Send(new CheckStrategyParameters("alpha_blend", parameters.RootElement));

        Assert.Equal(1, spy.Calls);
        Assert.Equal("{\"mode\":\"blend\",\"repeat\":1,\"weight\":0.25}", result.Effective.GetRawText());
    }

    [Fact]
    public async Task Request_fields_are_validated_before_the_handler()
    {
        await using var host = CreateHost(new HandlerSpy());
        var error = await Assert.ThrowsAsync<MedleyException>(async () => await host.Mediator.Send(new InspectPlugin(" ")));
        Assert.Equal("Invalid request: field 'idOrStrategy' is empty: expected a plugin id or a strategy name", error.Message);
    }

    [Fact]
    public async Task Guard_refuses_to_start_a_cancelled_request()
    {
        await using var host = CreateHost(new HandlerSpy());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await host.Mediator.Send(new ListPlugins(), cancelled.Token));
    }

    [Fact]
    public async Task Telemetry_starts_a_medley_activity_per_request()
    {
        var seen = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MedleyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => { lock (seen) { seen.Add(activity.OperationName); } },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = CreateHost(new HandlerSpy());

        await host.Mediator.Send(new ListPlugins());

        lock (seen)
        {
            Assert.Contains("ListPlugins", seen);
        }
    }

    private MedleyHost CreateHost(HandlerSpy spy) => MedleyHost.CreateDefault(
        options =>
        {
            options.PluginDirectories.Add(_sandbox.Root);
            options.UseDefaultPluginLocations = false;
        },
        services => services.AddSingleton<IPipelineBehavior<CheckStrategyParameters, CheckedParameters>>(spy));

    /// <summary>Registered after the host's behaviours, so it sits next to the handler: it runs only if the handler would.</summary>
    private sealed class HandlerSpy : IPipelineBehavior<CheckStrategyParameters, CheckedParameters>
    {
        public int Calls { get; private set; }

        public ValueTask<CheckedParameters> Handle(CheckStrategyParameters message, MessageHandlerDelegate<CheckStrategyParameters, CheckedParameters> next, CancellationToken cancellationToken)
        {
            Calls++;
            return next(message, cancellationToken);
        }
    }
}
