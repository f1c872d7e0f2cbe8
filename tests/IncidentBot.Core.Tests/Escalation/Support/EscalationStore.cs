using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Tests.Escalation.Support;

/// <summary>
/// An in-memory store that keeps incidents as serialized copies, so every load is a fresh object as with LiteDB.
/// <see cref="FailNextCommit"/> makes the next commit throw, as a crash before anything is recorded would.
/// </summary>
public sealed class EscalationStore : IIncidentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _incidents = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<AuditEntry> _audit = [];
    private int _number;

    public bool FailNextCommit { get; set; }

    public int NextNumber()
    {
        lock (_gate)
        {
            return ++_number;
        }
    }

    public Incident? Find(string id)
    {
        lock (_gate)
        {
            return _incidents.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<Incident>(json) : null;
        }
    }

    public IReadOnlyList<Incident> List(bool openOnly)
    {
        lock (_gate)
        {
            return _incidents.Values.Select(j => JsonSerializer.Deserialize<Incident>(j)!).Where(i => !openOnly || i.IsOpen).OrderBy(i => i.Number).ToList();
        }
    }

    public Incident? FindByChannel(string platform, string channelId) =>
        List(openOnly: false).LastOrDefault(i => i.Rooms.Any(r => r.Platform == platform && r.ChannelId == channelId));

    public void Commit(Incident incident, IReadOnlyList<TimelineEntry> entries)
    {
        lock (_gate)
        {
            if (FailNextCommit)
            {
                FailNextCommit = false;
                throw new IOException("simulated crash before the commit");
            }

            _incidents[incident.Id] = JsonSerializer.Serialize(incident);
            foreach (var entry in entries)
            {
                entry.Id = _timeline.Count + 1;
                _timeline.Add(entry);
            }
        }
    }

    public void Append(TimelineEntry entry)
    {
        lock (_gate)
        {
            entry.Id = _timeline.Count + 1;
            _timeline.Add(entry);
        }
    }

    public bool HasEntry(string sourceRef)
    {
        lock (_gate)
        {
            return _timeline.Any(e => e.SourceRef == sourceRef);
        }
    }

    public bool ReplaceEntryText(string sourceRef, string text) => false;

    public bool RemoveEntry(string sourceRef) => false;

    public IReadOnlyList<TimelineEntry> Timeline(string incidentId)
    {
        lock (_gate)
        {
            return _timeline.Where(e => e.IncidentId == incidentId).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        }
    }

    public void AppendAudit(AuditEntry entry)
    {
        lock (_gate)
        {
            _audit.Add(entry);
        }
    }

    public IReadOnlyList<AuditEntry> Audit(string incidentId)
    {
        lock (_gate)
        {
            return _audit.Where(a => a.IncidentId == incidentId).ToList();
        }
    }
}
