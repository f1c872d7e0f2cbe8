using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>
/// One change to one incident, made under its lock: the loaded incident, who is acting and when, and what
/// the change records on the timeline and posts to the room. Nothing is saved or posted unless the change succeeds.
/// </summary>
public sealed class IncidentChange(Incident incident, Runbook runbook, Actor actor, DateTimeOffset now)
{
    private readonly List<TimelineEntry> _entries = [];
    private readonly List<ChatMessage> _posts = [];
    private readonly List<DirectMessage> _directs = [];

    public Incident Incident { get; } = incident;

    public Runbook Runbook { get; } = runbook;

    public Actor Actor { get; } = actor;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The state before this change, so reactors can tell what happened.</summary>
    public IncidentState StateBefore { get; } = incident.State;

    /// <summary>True for the change that creates the incident.</summary>
    public bool Declaration { get; init; }

    /// <summary>Where the command that caused this change came from; null for the bot's own changes.</summary>
    public Origin? Origin { get; init; }

    internal IReadOnlyList<TimelineEntry> Entries => _entries;

    internal IReadOnlyList<ChatMessage> Posts => _posts;

    internal IReadOnlyList<DirectMessage> Directs => _directs;

    /// <summary>Adds a timeline entry by the acting person (or <paramref name="actor"/>), at now (or <paramref name="at"/>).</summary>
    public void Record(string kind, string text, string? actor = null, DateTimeOffset? at = null, string? sourceRef = null) =>
        _entries.Add(new TimelineEntry
        {
            IncidentId = Incident.Id,
            At = at ?? Now,
            Actor = actor ?? Actor.Name,
            Kind = kind,
            Text = text,
            SourceRef = sourceRef,
        });

    public void Post(ChatMessage message) => _posts.Add(message);

    public void Direct(string personName, ChatMessage message) => _directs.Add(new DirectMessage(personName, message));
}
