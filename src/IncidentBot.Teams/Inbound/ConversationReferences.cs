using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Outbound;
using IncidentBot.Teams.Storage;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams.Inbound;

/// <summary>
/// Remembers where the bot can write and to whom, from every authenticated activity: the conversation (its service
/// URL and tenant) and the person in it. A personal install (installationUpdate in a 1:1 chat) gives the person's
/// 1:1 chat; a team install gives the team's channel and the installer, and everyone already in the team or group chat
/// is fetched (<see cref="TeamMembers"/>, on the work queue); members added later are remembered as they come.
/// </summary>
public sealed class ConversationReferences(TeamsStore store, TeamMembers members, TeamsWorkQueue queue, TimeProvider time, ILogger<ConversationReferences> log)
{
    public void Record(TeamsActivity activity)
    {
        if (activity.ServiceUrl is not { Length: > 0 } serviceUrl || activity.ConversationId.Length == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var conversationId = ConversationIds.Base(activity.ConversationId);
        if (activity.Type == "installationUpdate" && activity.Action is "remove" or "remove-upgrade")
        {
            store.Forget(conversationId);
            log.LogInformation("IncidentBot was removed from Teams conversation {Conversation}", conversationId);
            return;
        }

        store.Save(new ConversationRecord
        {
            Id = conversationId,
            ConversationType = activity.ConversationType,
            ServiceUrl = serviceUrl,
            TenantId = activity.TenantId,
            TeamId = activity.TeamId,
            Name = (string?)activity.Json["conversation"]?["name"],
            UpdatedAt = now,
        });

        if (activity.Type == "conversationUpdate" && !activity.IsPersonal && activity.Recipient is { } bot && activity.MembersAdded.Any(m => m.Id == bot.Id))
        {
            var roster = activity.TeamId ?? conversationId;
            queue.Enqueue($"remember the members of {roster}", ct => members.RememberAsync(serviceUrl, roster, activity.TenantId, ct));
        }

        var people = new List<TeamsAccount>();
        if (activity.From is { } from && !from.Id.StartsWith("28:", StringComparison.Ordinal))
        {
            people.Add(from);
        }

        people.AddRange(activity.MembersAdded.Where(m => m.Id.StartsWith("29:", StringComparison.Ordinal)));
        foreach (var person in people)
        {
            store.Save(new UserRecord
            {
                Id = person.Id,
                AadObjectId = person.AadObjectId,
                Name = person.Name,
                ServiceUrl = serviceUrl,
                TenantId = activity.TenantId,
                PersonalConversationId = activity.IsPersonal && person == activity.From ? conversationId : null,
                UpdatedAt = now,
            });
        }
    }
}
