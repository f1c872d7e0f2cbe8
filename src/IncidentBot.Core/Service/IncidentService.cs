using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Core.Service;

/// <summary>
/// The use cases: declare an incident, change one under its lock, record chat messages. Every change is
/// load, change, save (with its timeline entries), publish; a refused change saves and publishes nothing.
/// </summary>
public sealed class IncidentService(
    IIncidentStore store,
    RunbookCatalog runbooks,
    IEnumerable<IChatSurface> surfaces,
    IEnumerable<IIncidentReactor> reactors,
    IncidentLocks locks,
    TimeProvider time,
    ILogger<IncidentService> log)
{
    private readonly IReadOnlyList<IChatSurface> _surfaces = surfaces.ToList();
    private readonly IReadOnlyList<IIncidentReactor> _reactors = reactors.ToList();

    public RunbookCatalog Runbooks => runbooks;

    public TimeProvider Time => time;

    public Incident? Find(string id) => store.Find(id);

    public bool Exists(string id) => store.Exists(id);

    public IncidentState? StateOf(string id) => store.StateOf(id);

    public Incident? FindByChannel(string platform, string channelId) => store.FindByChannel(platform, channelId);

    public IReadOnlyList<Incident> List(bool openOnly) => store.List(openOnly);

    public IReadOnlyList<TimelineEntry> Timeline(string id) => store.Timeline(id);

    public IReadOnlyList<AuditEntry> Audit(string id) => store.Audit(id);

    public Runbook RunbookOf(Incident incident) =>
        runbooks.ById(incident.RunbookId) ?? throw new InvalidOperationException($"{incident.Id}: runbook '{incident.RunbookId}' is no longer loaded");

    public Task<(Incident? Incident, Outcome Outcome)> DeclareAsync(
        Actor actor, string category, Severity severity, string title, Room? declaredIn, Origin? origin, CancellationToken cancellationToken) =>
        DeclareAsync(actor, category, severity, title, declaredIn, origin, drill: null, cancellationToken);

    /// <summary>Declares an incident; with <paramref name="drill"/> (the people it pages; empty: the declarer) it is a drill.</summary>
    public async Task<(Incident? Incident, Outcome Outcome)> DeclareAsync(
        Actor actor, string category, Severity severity, string title, Room? declaredIn, Origin? origin, IReadOnlyList<string>? drill, CancellationToken cancellationToken)
    {
        var runbook = runbooks.ForCategory(category);
        if (runbook is null)
        {
            return (null, Outcome.Refused($"Unknown category '{category}': use one of {string.Join(", ", runbooks.Categories)}."));
        }

        var number = store.NextNumber();
        var incident = new Incident
        {
            Id = $"INC-{number}",
            Number = number,
            Title = drill is null ? title.Trim() : DrillMarking.Title(title.Trim()),
            Category = runbook.Category,
            RunbookId = runbook.Id,
            Severity = severity,
            Declarer = actor.Name,
            DeclaredAt = time.GetUtcNow(),
            Drill = drill is not null,
            DrillPages = [.. drill ?? []],
        };
        if (declaredIn is not null)
        {
            incident.Rooms.Add(declaredIn);
        }

        using (await locks.AcquireAsync(incident.Id, cancellationToken))
        {
            var change = new IncidentChange(incident, runbook, actor, incident.DeclaredAt) { Declaration = true, Origin = origin };
            change.Record(EntryKind.Declared, $"Declared {incident.Id} ({SeverityText.Format(severity)}, {runbook.Category}): {incident.Title}");
            change.Post(ChatMessage.Plain(Declared(incident, runbook)));
            if (IncidentViews.StepCard(incident, runbook) is { } first)
            {
                change.Post(first);
            }

            await CommitAsync(change, cancellationToken);
        }

        return (incident, Outcome.Done(Declared(incident, runbook)));
    }

    private static string Declared(Incident incident, Runbook runbook) =>
        $"{incident.Declarer} declared {incident.Id}: {incident.Title} ({SeverityText.Format(incident.Severity)}, runbook: {runbook.Title}).";

    /// <summary>Loads the incident, applies <paramref name="apply"/> under its lock, and saves and publishes if it succeeded.</summary>
    public Task<Outcome> ChangeAsync(string incidentId, Actor actor, Func<IncidentChange, Outcome> apply, CancellationToken cancellationToken) =>
        ChangeAsync(incidentId, actor, null, apply, cancellationToken);

    /// <summary>As above, for a change a person caused from <paramref name="origin"/>: its publication carries it.</summary>
    public async Task<Outcome> ChangeAsync(string incidentId, Actor actor, Origin? origin, Func<IncidentChange, Outcome> apply, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(incidentId, cancellationToken))
        {
            var incident = store.Find(incidentId);
            if (incident is null)
            {
                return Outcome.Refused($"There is no incident {incidentId.ToUpperInvariant()}. `/incident list` shows the open ones.");
            }

            var change = new IncidentChange(incident, RunbookOf(incident), actor, time.GetUtcNow()) { Origin = origin };
            var outcome = apply(change);
            if (outcome.Succeeded)
            {
                await CommitAsync(change, cancellationToken);
            }

            return outcome;
        }
    }

    /// <summary>A chat message in an incident's room, for the timeline. Returns false when it was already recorded.</summary>
    public async Task<bool> RecordChannelMessageAsync(
        string incidentId, string author, string text, DateTimeOffset at, string sourceRef, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(incidentId, cancellationToken))
        {
            if (store.HasEntry(sourceRef))
            {
                return false;
            }

            store.Append(new TimelineEntry { IncidentId = incidentId, At = at, Actor = author, Kind = EntryKind.Message, Text = text, SourceRef = sourceRef });
            return true;
        }
    }

    /// <summary>
    /// A recorded chat message was edited. While the incident is open (or resolved) the entry takes the new words; once it
    /// is closed or cancelled the record is final: the edit is added as an entry of its own and the original stays.
    /// </summary>
    public Task<bool> EditChannelMessageAsync(string incidentId, string author, string sourceRef, string text, DateTimeOffset at, CancellationToken cancellationToken) =>
        AfterTheFactAsync(incidentId, author, sourceRef, at, $"edited a message after the incident ended (the original is kept above); it now reads: {text}",
            () => store.ReplaceEntryText(sourceRef, text), cancellationToken);

    /// <summary>A recorded chat message was deleted: removed from the timeline while the incident is open, kept (and the deletion recorded) once it has ended.</summary>
    public Task<bool> RemoveChannelMessageAsync(string incidentId, string author, string sourceRef, DateTimeOffset at, CancellationToken cancellationToken) =>
        AfterTheFactAsync(incidentId, author, sourceRef, at, "deleted a message after the incident ended; the timeline keeps it",
            () => store.RemoveEntry(sourceRef), cancellationToken);

    private async Task<bool> AfterTheFactAsync(
        string incidentId, string author, string sourceRef, DateTimeOffset at, string record, Func<bool> apply, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(incidentId, cancellationToken))
        {
            if (!store.HasEntry(sourceRef))
            {
                return false;
            }

            if (store.Find(incidentId) is not { IsFinished: true })
            {
                return apply();
            }

            store.Append(new TimelineEntry
            {
                IncidentId = incidentId,
                At = at,
                Actor = author,
                Kind = EntryKind.Message,
                Text = record,
                SourceRef = $"{sourceRef}#after:{at.ToUnixTimeMilliseconds()}",
            });
            return true;
        }
    }

    /// <summary>
    /// Posts <paramref name="message"/> in the incident's rooms without changing the incident (a running action's
    /// progress): nothing saved, nothing on the timeline, the card left as it is. In order with the changes (under the lock).
    /// </summary>
    public async Task AnnounceAsync(string incidentId, ChatMessage message, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(incidentId, cancellationToken))
        {
            if (store.Find(incidentId) is not { } incident)
            {
                return;
            }

            var publication = new Publication(incident, IncidentViews.Card(incident, RunbookOf(incident)), [message], []) { CardUnchanged = true };
            await PublishAsync(DrillMarking.Mark(publication), cancellationToken);
        }
    }

    private async Task CommitAsync(IncidentChange change, CancellationToken cancellationToken)
    {
        foreach (var reactor in _reactors)
        {
            reactor.AfterChange(change);
        }

        store.Commit(change.Incident, change.Entries);
        await PublishAsync(DrillMarking.Mark(new Publication(
            change.Incident,
            IncidentViews.Card(change.Incident, change.Runbook),
            change.Posts,
            change.Directs,
            change.Declaration,
            change.Origin)), cancellationToken);
    }

    private async Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        foreach (var surface in _surfaces)
        {
            try
            {
                await surface.PublishAsync(publication, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The change is saved; a chat platform that can't be reached must not undo it.
                log.LogError(e, "Publishing {IncidentId} to {Platform} failed", publication.Incident.Id, surface.Platform);
            }
        }
    }
}
