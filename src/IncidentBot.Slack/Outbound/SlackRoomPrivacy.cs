using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Outbound;

/// <summary>
/// An incident's Slack room is private when the bot created its channel (Slack:CreateChannels) as a private one
/// (Slack:ChannelVisibility for its category) and the incident still lives in that channel, not in the one it was
/// declared in (where it stays when the channel could not be created). Anything else reads as not private.
/// </summary>
public sealed class SlackRoomPrivacy(IOptions<SlackOptions> options) : IRoomPrivacy
{
    public string Platform => SlackSurface.PlatformName;

    public bool IsPrivate(Incident incident)
    {
        var settings = options.Value;
        if (!settings.CreateChannels || !settings.IsPrivate(incident.Category) || incident.RoomOn(Platform)?.ChannelName is not { } channel)
        {
            return false;
        }

        var name = ChannelNames.For(settings.ChannelNamePattern, incident);
        return channel == name || Enumerable.Range(2, 20).Any(attempt => channel == ChannelNames.Alternative(name, attempt));
    }
}
