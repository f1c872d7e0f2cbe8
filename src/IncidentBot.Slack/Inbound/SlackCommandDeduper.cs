using System.Text;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Runs a slash command once when it arrives twice: the same invocation again (its <c>trigger_id</c>, as a replay or a
/// proxy's resend carries it) within 10 minutes, or the same user typing the same text in the same channel within
/// <see cref="Window"/> (a double submit). Bounded in memory, on the injected clock.
/// </summary>
public sealed class SlackCommandDeduper(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly RecentKeys _invocations = new(time, TimeSpan.FromMinutes(10), capacity: 20_000);
    private readonly RecentKeys _commands = new(time, Window, capacity: 20_000);

    /// <summary>True when the command should run; false for a repeat.</summary>
    public bool FirstTime(SlackInbound command)
    {
        var trigger = command.Str("trigger_id");
        var text = Collapsed(command.Str("text") ?? "");
        var sameCommand = _commands.FirstTime($"{command.Str("user_id")}\n{command.Str("channel_id")}\n{command.Str("command")}\n{text}");
        var sameInvocation = string.IsNullOrEmpty(trigger) || _invocations.FirstTime(trigger);
        return sameCommand && sameInvocation;
    }

    /// <summary>The text with each run of white space one space, trimmed: <c>ack  INC-1 </c> is <c>ack INC-1</c>.</summary>
    public static string Collapsed(string text)
    {
        var trimmed = text.AsSpan().Trim();
        var plain = true;
        for (var i = 0; i < trimmed.Length && plain; i++)
        {
            plain = !char.IsWhiteSpace(trimmed[i]) || (trimmed[i] == ' ' && !char.IsWhiteSpace(trimmed[i + 1]));
        }

        if (plain)
        {
            return trimmed.Length == text.Length ? text : trimmed.ToString();
        }

        var collapsed = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (!char.IsWhiteSpace(c))
            {
                collapsed.Append(c);
            }
            else if (collapsed[^1] != ' ')
            {
                collapsed.Append(' ');
            }
        }

        return collapsed.ToString();
    }
}
