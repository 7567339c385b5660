using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>A validated <c>POST /v1/chat/completions</c> body.</summary>
internal sealed record ChatCompletionRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage);
