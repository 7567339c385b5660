namespace Medley.Host.Running;

/// <summary>Where a remote member is reached: an OpenAI-compatible chat-completions server.</summary>
/// <param name="Endpoint">The server's base URL (e.g. <c>https://api.openai.com/v1</c>).</param>
/// <param name="Model">The model name sent with each request.</param>
/// <param name="ApiKeyVariable">The NAME of the environment variable holding the API key; <see langword="null"/> for a server that takes none.</param>
public sealed record RemoteMemberConfig(Uri Endpoint, string Model, string? ApiKeyVariable);
