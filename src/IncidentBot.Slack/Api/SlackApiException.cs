namespace IncidentBot.Slack.Api;

/// <summary>Slack answered <c>ok:false</c>. The message is meant for the user: "Slack refused conversations.invite: not_in_channel".</summary>
public sealed class SlackApiException(string method, string error, string? needed = null)
    : Exception($"Slack refused {method}: {error}{(needed is null ? "" : $" (needs scope {needed})")}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}
