using Medley.Host.Running;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>The running totals of one member; written by its wrappers from many threads, read as snapshots.</summary>
public sealed class MemberAccount
{
    private readonly Lock _lock = new();
    private readonly MemberCost? _cost;
    private long _calls;
    private long _failures;
    private long _attempts;
    private double _latency;
    private long _input;
    private long _output;
    private long _wins;

    /// <summary>Creates an empty account.</summary>
    /// <param name="name">The member's name.</param>
    /// <param name="role">Its role.</param>
    /// <param name="location">Its model folder, or endpoint and model.</param>
    /// <param name="cost">Its prices, if configured.</param>
    public MemberAccount(string name, string role, string location, MemberCost? cost)
    {
        Name = name;
        Role = role;
        Location = location;
        _cost = cost;
    }

    /// <summary>The member's name.</summary>
    public string Name { get; }

    /// <summary>The member's role.</summary>
    public string Role { get; }

    /// <summary>The model folder, or endpoint and model.</summary>
    public string Location { get; }

    /// <summary>The totals now.</summary>
    /// <returns>A snapshot.</returns>
    public MemberUsage Snapshot()
    {
        lock (_lock)
        {
            return new MemberUsage(Name, Role, Location, _calls, _failures, _attempts, _latency, _input, _output, _cost?.Of(_input, _output) ?? 0, _wins);
        }
    }

    internal void RecordCall(TimeSpan latency, UsageDetails? usage, bool failed)
    {
        lock (_lock)
        {
            _calls++;
            _failures += failed ? 1 : 0;
            _latency += latency.TotalSeconds;
            _input += usage?.InputTokenCount ?? 0;
            _output += usage?.OutputTokenCount ?? 0;
        }
    }

    internal void RecordAttempt()
    {
        lock (_lock)
        {
            _attempts++;
        }
    }

    internal void RecordWin()
    {
        lock (_lock)
        {
            _wins++;
        }
    }
}
