using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class NoteHandler(IncidentService incidents) : ICommandHandler
{
    /// <summary>Note kinds the report reads; written as a prefix, e.g. <c>note root-cause: ...</c>.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["root-cause", "resolution", "prevention", "lesson", "impact"];

    public CommandSpec Spec { get; } = new(
        "note", "note [INC-n] [root-cause:|resolution:|prevention:|lesson:|impact:] <text>", "Add a note to the timeline; prefixed notes fill the report.");

    public IReadOnlyList<string> Problems(CommandRequest request) => Split(request.Text).Text.Length == 0 ? ["The note is empty."] : [];

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (kind, text) = Split(request.Text);
        if (Problems(request) is { Count: > 0 } problems)
        {
            return Task.FromResult(request.Usage(problems));
        }

        return Changes.ApplyAsync(incidents, request, EntryKind.Note, change =>
        {
            if (change.Incident.State == IncidentState.Closed)
            {
                return Outcome.Refused($"{change.Incident.Id} is Closed: notes can no longer be added.");
            }

            change.Incident.Notes.Add(new Note { Kind = kind, Text = text, By = change.Actor.Name, At = change.Now });
            return Outcome.Done(kind.Length == 0 ? $"Note by {change.Actor.Name}: {text}" : $"Note ({kind}) by {change.Actor.Name}: {text}");
        }, cancellationToken);
    }

    public static (string Kind, string Text) Split(string text)
    {
        var colon = text.IndexOf(':');
        if (colon > 0)
        {
            var prefix = text[..colon].Trim().ToLowerInvariant().Replace(' ', '-');
            var kind = prefix switch
            {
                "root-cause" or "rootcause" or "cause" => "root-cause",
                "resolution" => "resolution",
                "prevention" or "action-item" => "prevention",
                "lesson" or "lessons" or "lesson-learned" => "lesson",
                "impact" => "impact",
                _ => null,
            };
            if (kind is not null)
            {
                return (kind, text[(colon + 1)..].Trim());
            }
        }

        return ("", text.Trim());
    }
}
