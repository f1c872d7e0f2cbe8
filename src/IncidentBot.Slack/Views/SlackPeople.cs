using System.Collections.Concurrent;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Slack.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Views;

/// <summary>
/// Slack users and roster people: a Slack user listed in the roster (Person.SlackId) acts as that person;
/// anyone else acts under their Slack name and id (<c>bob (U0EVIL)</c>), so a borrowed display name reads as what it is. Roster names in message text become <c>&lt;@U...&gt;</c> mentions.
/// </summary>
public sealed class SlackPeople(IOptionsMonitor<RosterOptions> roster, ISlackApi api, ILogger<SlackPeople> log)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>The roster in force now (a new object after each reload): what mentions are rendered from.</summary>
    public object Roster => roster.CurrentValue;

    public Person? PersonOf(string slackUserId) =>
        roster.CurrentValue.People.FirstOrDefault(p => string.Equals(p.SlackId, slackUserId, StringComparison.Ordinal));

    public string? SlackIdOf(string personName) =>
        roster.CurrentValue.People.FirstOrDefault(p => string.Equals(p.Name, personName, StringComparison.OrdinalIgnoreCase))?.SlackId is { Length: > 0 } id ? id : null;

    /// <summary>Who acts, from what a payload says: the roster person, else the name Slack sent, else the id.</summary>
    public Actor ActorOf(string slackUserId, string? slackName) => roster.CurrentValue.ActorFor(slackUserId, slackName);

    /// <summary>Like <see cref="ActorOf"/>, asking users.info (once per user) for the name of someone not in the roster.</summary>
    public async Task<Actor> LookUpAsync(string slackUserId, CancellationToken cancellationToken)
    {
        if (PersonOf(slackUserId) is { } person)
        {
            return new Actor(person.Name, slackUserId);
        }

        if (!_names.TryGetValue(slackUserId, out var name))
        {
            try
            {
                name = (await api.UserInfoAsync(slackUserId, cancellationToken)).User?.ShownName ?? slackUserId;
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                log.LogWarning("Could not look up Slack user {UserId}: {Problem}", slackUserId, e.Message);
                return roster.CurrentValue.ActorFor(slackUserId, null);
            }

            _names[slackUserId] = name;
        }

        return roster.CurrentValue.ActorFor(slackUserId, name);
    }

    /// <summary>Escapes text for mrkdwn and turns roster mentions into Slack mentions (or the bare name for people without a SlackId).</summary>
    public string Mrkdwn(string text) => !text.Contains("@[", StringComparison.Ordinal)
        ? Views.Mrkdwn.Escape(text)
        : Mention.Pattern.Replace(Views.Mrkdwn.Escape(text), m => SlackIdOf(m.Groups["name"].Value) is { } id ? $"<@{id}>" : "@" + m.Groups["name"].Value);

    /// <summary>Text for plain_text objects: mentions written as @name.</summary>
    public static string Plain(string text) => !text.Contains("@[", StringComparison.Ordinal)
        ? text
        : Mention.Pattern.Replace(text, m => "@" + m.Groups["name"].Value);
}
