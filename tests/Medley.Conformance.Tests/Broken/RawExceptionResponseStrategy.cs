using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Answers with the first member that answers, and lets the last member's exception escape when none does.</summary>
public sealed class RawExceptionResponseStrategy : IResponseStrategy
{
    public IChatClient CreateClient(ResponseStrategyContext context) => new FirstAnswerChatClient(context.Members);
}
