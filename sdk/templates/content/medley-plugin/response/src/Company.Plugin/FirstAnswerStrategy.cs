using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Company.Plugin;

/// <summary>Returns the first non-empty answer of the members, asked one after another in config order.</summary>
[MedleyStrategy("company-plugin-strategy")]
public sealed class FirstAnswerStrategy : IResponseStrategy
{
    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Members.Count == 0)
        {
            throw new MedleyException("response.members.missing", "Strategy 'company-plugin-strategy' needs at least one member (role 'member').");
        }

        return new FirstAnswerChatClient(context.Members, context.LoggerFactory.CreateLogger<FirstAnswerChatClient>());
    }
}
