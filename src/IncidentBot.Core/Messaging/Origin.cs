namespace IncidentBot.Core.Messaging;

/// <summary>
/// Where a command or a button press came from, and where to answer its person privately. It travels as a value with
/// the command, with the change it causes and with that change's <see cref="Publication"/>, so an adapter knows whom
/// to invite, whom to tell about a failure and where, without any ambient request state.
/// </summary>
/// <param name="Platform">The chat platform (slack, shell, teams, ...).</param>
/// <param name="ChannelId">The channel (conversation) it was typed or pressed in.</param>
/// <param name="UserId">The person's id on that platform.</param>
/// <param name="ReplyTo">The platform's private answer address, if it has one (Slack's response_url, Teams' service URL).</param>
public sealed record Origin(string Platform, string ChannelId, string UserId, string? ReplyTo = null);
