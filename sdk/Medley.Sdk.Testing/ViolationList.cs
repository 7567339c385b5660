namespace Medley.Sdk.Testing;

/// <summary>Collects broken rules so that a check reports all of them at once.</summary>
internal sealed class ViolationList
{
    private readonly List<string> _items = [];

    public int Count => _items.Count;

    public void Add(string violation)
    {
        // A rule broken on every repetition of a call is one violation, not several.
        if (!_items.Contains(violation))
        {
            _items.Add(violation);
        }
    }

    public void ThrowIfAny(string subject)
    {
        if (_items.Count > 0)
        {
            throw new ConformanceException(subject, _items.ToArray());
        }
    }
}
