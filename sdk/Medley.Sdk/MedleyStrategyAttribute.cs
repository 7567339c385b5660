namespace Medley.Sdk;

/// <summary>
/// Names a strategy class. The host reads this attribute without constructing the class, registers the
/// class as a keyed service under <see cref="Name"/>, and requires the manifest to declare the same name.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MedleyStrategyAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The strategy name users type (<c>ties</c>, <c>speculative</c>, …): lower case, digits, <c>_</c> and <c>-</c>.</param>
    public MedleyStrategyAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The strategy name.</summary>
    public string Name { get; }
}
