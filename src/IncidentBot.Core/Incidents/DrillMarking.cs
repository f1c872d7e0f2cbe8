using IncidentBot.Core.Escalation;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Core.Incidents;

/// <summary>
/// Everything a drill changes in the core, in one place: the DRILL mark on the title (so channel names, pages and
/// the report carry it) and on every card and post, and paging only the drill's own people.
/// </summary>
public static class DrillMarking
{
    public const string Tag = "DRILL";

    public static string Title(string title) =>
        title.StartsWith(Tag, StringComparison.OrdinalIgnoreCase) ? title : $"{Tag}: {title}";

    public static Publication Mark(Publication publication) =>
        !publication.Incident.Drill ? publication : publication with
        {
            Card = Mark(publication.Card),
            Posts = publication.Posts.Select(Mark).ToList(),
            Directs = publication.Directs.Select(d => d with { Message = Mark(d.Message) }).ToList(),
        };

    public static ChatMessage Mark(ChatMessage message) =>
        message.Header is { } header
            ? header.Contains(Tag, StringComparison.Ordinal) ? message : message with { Header = $"{Tag} · {header}" }
            : message.Text.Length == 0 || message.Text.StartsWith($"[{Tag}]", StringComparison.Ordinal) ? message : message with { Text = $"[{Tag}] {message.Text}" };

    /// <summary>A drill keeps the chain's levels and timers but pages only its own people (by default the person who started it).</summary>
    public static EscalationPolicy Paging(Incident incident, EscalationPolicy policy)
    {
        if (!incident.Drill)
        {
            return policy;
        }

        List<string> people = incident.DrillPages.Count > 0 ? [.. incident.DrillPages] : [incident.Declarer];
        foreach (var level in policy.Levels)
        {
            level.Notify = [$"{Tag.ToLowerInvariant()}: {string.Join(", ", people)}"];
            level.People = [.. people];
        }

        return policy;
    }
}
