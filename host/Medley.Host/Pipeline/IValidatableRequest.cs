namespace Medley.Host.Pipeline;

/// <summary>A request that can check its own fields before any work starts.</summary>
public interface IValidatableRequest
{
    /// <summary>Every problem with the request's fields, each naming the field; empty when valid.</summary>
    /// <returns>Problems.</returns>
    IEnumerable<string> Validate();
}
