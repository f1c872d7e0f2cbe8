using IncidentBot.Core.Messaging;

namespace IncidentBot.Shell;

/// <summary>The terminal's two ends: where lines come from, where the conversation goes, and whether to echo input (piped).</summary>
public sealed record ShellIO(TextReader Input, TextWriter Output, bool EchoInput);

/// <summary>
/// Prints messages as plain text, buttons as <c>[n] Label</c> (choice buttons with their answer id). Button numbers are unique for the whole session,
/// so an old button can still be pressed (and is told it is stale). Thread-safe: pings print from the background.
/// </summary>
public sealed class ShellTerminal(ShellIO io)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ButtonAction> _buttons = [];
    private int _lastButton;

    public void Print(ChatMessage message, string? to = null)
    {
        lock (_gate)
        {
            var lines = new List<string>();
            var prefix = to is null ? "bot" : $"bot -> {to} (direct message)";
            if (message.Header is { } header)
            {
                lines.Add($"{prefix}: == {Plain(header)} ==");
                prefix = "   ";
            }

            if (message.Kind == MessageKind.Warning)
            {
                prefix += " (!)";
            }

            foreach (var line in Plain(message.Text).Split('\n'))
            {
                if (line.Length > 0 || message.Kind == MessageKind.Report)
                {
                    lines.Add($"{prefix}: {line}".Replace("   : ", "    ", StringComparison.Ordinal));
                }
            }

            lines.AddRange(message.Fields.Select(f => $"    {f.Label}: {Plain(f.Value).Replace("\n", "\n      ", StringComparison.Ordinal)}"));
            if (message.Footer is { } footer)
            {
                lines.Add($"    ({Plain(footer)})");
            }

            if (message.Buttons.Count > 0)
            {
                var buttons = message.Buttons.Select(b =>
                {
                    _buttons[++_lastButton] = b.Action;
                    return $"[{_lastButton}] {b.Label}{AnswerId(b.Action)}";
                });
                lines.Add($"    {string.Join("  ", buttons)}");
            }

            foreach (var line in lines)
            {
                io.Output.WriteLine(line);
            }

            io.Output.Flush();
        }
    }

    public void Say(string line)
    {
        lock (_gate)
        {
            io.Output.WriteLine(line);
            io.Output.Flush();
        }
    }

    public ButtonAction? Button(int number)
    {
        lock (_gate)
        {
            return _buttons.GetValueOrDefault(number);
        }
    }

    /// <summary>A choice button also shows the id <c>/incident step choose &lt;id&gt;</c> takes: <c>[11] Clerk outage (clerk-outage)</c>.</summary>
    private static string AnswerId(ButtonAction action)
    {
        var words = action.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var choose = Array.IndexOf(words, "choose");
        return words.Length > 0 && words[0] == "step" && choose > 0 && choose == words.Length - 2 ? $" ({words[^1]})" : "";
    }

    private static string Plain(string text) => Mention.Pattern.Replace(text, m => "@" + m.Groups["name"].Value);
}
