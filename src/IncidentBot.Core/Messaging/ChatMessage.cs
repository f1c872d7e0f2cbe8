namespace IncidentBot.Core.Messaging;

public enum MessageKind
{
    Info,
    Card,
    Step,
    Approval,
    Warning,
    Ping,
    Report,
}

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>
/// One platform-neutral message. Every renderer (terminal, Block Kit, Adaptive Card) draws the same thing:
/// a header, lines of text, label/value fields, a footer and buttons. Text is plain; people are written
/// with <see cref="Mention"/> so each platform can turn them into its own mention.
/// </summary>
public sealed record ChatMessage
{
    public MessageKind Kind { get; init; } = MessageKind.Info;

    public string? Header { get; init; }

    public string Text { get; init; } = "";

    public IReadOnlyList<Field> Fields { get; init; } = [];

    public string? Footer { get; init; }

    public IReadOnlyList<Button> Buttons { get; init; } = [];

    /// <summary>A file to attach (the report), with its name.</summary>
    public Attachment? File { get; init; }

    /// <summary>
    /// Posts with the same key in one incident's room are one message, updated in place (a running action's progress):
    /// the first is posted, each later one replaces it where the platform can edit a message (Slack chat.update, Teams
    /// PUT activity); a terminal just prints it again. The platforms keep the message's id in the storage file
    /// (<see cref="InPlaceMessages"/>), so a restarted bot goes on updating the same message. Null: an ordinary post.
    /// </summary>
    public string? UpdateKey { get; init; }

    public static ChatMessage Plain(string text) => new() { Text = text };

    public static ChatMessage Warn(string text) => new() { Kind = MessageKind.Warning, Text = text };
}

public sealed record Field(string Label, string Value);

public sealed record Attachment(string FileName, string Title, string Content);

/// <summary>
/// A button carries the command it runs and a guard that must still hold when it is pressed,
/// so a press on an old card is recognised as stale instead of doing something unexpected.
/// </summary>
public sealed record Button(string Label, ButtonAction Action, ButtonStyle Style = ButtonStyle.Default, string? Confirm = null);

/// <param name="IncidentId">The incident the button belongs to.</param>
/// <param name="Guard">What must still be true: <c>step:&lt;id&gt;</c>, <c>state:&lt;State&gt;</c>, <c>approval:&lt;id&gt;</c>, or empty.</param>
/// <param name="Command">The command line it runs, without the /incident prefix.</param>
public sealed record ButtonAction(string IncidentId, string Guard, string Command)
{
    private const char Separator = '|';

    public string Encode() => string.Join(Separator, IncidentId, Guard, Command);

    public static ButtonAction? Decode(string? value)
    {
        var parts = value?.Split(Separator, 3);
        return parts is { Length: 3 } && parts[0].Length > 0 && parts[2].Length > 0 ? new ButtonAction(parts[0], parts[1], parts[2]) : null;
    }
}

public static class Mention
{
    /// <summary>Writes a roster person into message text; renderers replace it with the platform's mention.</summary>
    public static string Of(string personName) => $"@[{personName}]";

    public static readonly System.Text.RegularExpressions.Regex Pattern = new(@"@\[(?<name>[^\]]+)\]", System.Text.RegularExpressions.RegexOptions.Compiled);
}
