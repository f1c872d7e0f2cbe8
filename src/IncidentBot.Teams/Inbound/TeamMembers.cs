using IncidentBot.Teams.Connector;
using IncidentBot.Teams.Storage;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// When the bot is added to a team or a group chat, Teams names only the bot in membersAdded: everyone already there
/// is fetched (GET pagedmembers, every page) and remembered, so each of them can be paged in a 1:1 chat the bot opens,
/// without having written to it or installed it themselves.
/// </summary>
public sealed class TeamMembers(IConnectorClient connector, TeamsStore store, TimeProvider time, ILogger<TeamMembers> log)
{
    /// <summary>A guard against a Connector that keeps answering with a continuation token.</summary>
    private const int MaxPages = 200;

    public async Task RememberAsync(string serviceUrl, string conversationId, string? tenantId, CancellationToken cancellationToken)
    {
        string? next = null;
        var count = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var members = await connector.GetMembersPageAsync(serviceUrl, conversationId, next, cancellationToken);
            foreach (var member in members.Members.Where(m => m.Id.StartsWith("29:", StringComparison.Ordinal)))
            {
                store.Save(new UserRecord { Id = member.Id, AadObjectId = member.AadObjectId, Name = member.Name, ServiceUrl = serviceUrl, TenantId = tenantId, UpdatedAt = time.GetUtcNow() });
                count++;
            }

            next = members.ContinuationToken;
            if (next is null)
            {
                break;
            }
        }

        log.LogInformation("Remembered {Count} members of Teams conversation {Conversation}, so the bot can write to them first", count, conversationId);
    }
}
