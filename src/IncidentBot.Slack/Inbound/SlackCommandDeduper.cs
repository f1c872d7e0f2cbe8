using System.Text.RegularExpressions;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Runs a slash command once when it arrives twice: the same invocation again (its <c>trigger_id</c>, as a replay or a
/// proxy's resend carries it) within 10 minutes, or the same user typing the same text in the same channel within
/// <see cref="Window"/> (a double submit). Bounded in memory, on the injected clock.
/// </summary>
public sealed partial class SlackCommandDeduper(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly RecentKeys _invocations = new(time, TimeSpan.FromMinutes(10), capacity: 20_000);
    private readonly RecentKeys _commands = new(time, Window, capacity: 20_000);

    /// <summary>True when the command should run; false for a repeat.</summary>
    public bool FirstTime(SlackInbound command)
    {
        var trigger = command.Str("trigger_id");
        var text = Spaces().Replace(command.Str("text") ?? "", " ").Trim();
        var sameCommand = _commands.FirstTime($"{command.Str("user_id")}\n{command.Str("channel_id")}\n{command.Str("command")}\n{text}");
        var sameInvocation = string.IsNullOrEmpty(trigger) || _invocations.FirstTime(trigger);
        return sameCommand && sameInvocation;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
