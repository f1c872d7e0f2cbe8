using IncidentBot.Core;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;
using LiteDB;

namespace IncidentBot.Storage;

/// <summary>Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The LiteDB file, relative to the content root; <c>:memory:</c> keeps everything in memory (tests).</summary>
    public string Path { get; set; } = "data/incidentbot.db";
}

/// <summary>
/// Incidents, timeline and audit log in one LiteDB file. One shared <see cref="LiteDatabase"/>; the file is
/// opened exclusively, so two bots can't write the same incidents.
/// </summary>
public sealed class LiteDbIncidentStore : IIncidentStore, IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<Incident> _incidents;
    private readonly ILiteCollection<TimelineEntry> _timeline;
    private readonly ILiteCollection<AuditEntry> _audit;
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly Lock _numbering = new();

    public LiteDbIncidentStore(string path)
    {
        if (path != ":memory:" && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var mapper = new BsonMapper();
        mapper.Entity<Incident>().Id(i => i.Id, autoId: false).Ignore(i => i.IsOpen).Ignore(i => i.IsFinished);
        mapper.Entity<TimelineEntry>().Id(e => e.Id);
        mapper.Entity<AuditEntry>().Id(e => e.Id);
        MapperWarmUp.Run(mapper, typeof(Incident), typeof(TimelineEntry), typeof(AuditEntry));
        _db = new LiteDatabase(path == ":memory:" ? new ConnectionString(":memory:") : new ConnectionString { Filename = path }, mapper);

        _incidents = _db.GetCollection<Incident>("incidents");
        _timeline = _db.GetCollection<TimelineEntry>("timeline", BsonAutoId.Int64);
        _audit = _db.GetCollection<AuditEntry>("audit", BsonAutoId.Int64);
        _counters = _db.GetCollection("counters");
        _timeline.EnsureIndex(e => e.IncidentId);
        _timeline.EnsureIndex(e => e.SourceRef);
        _audit.EnsureIndex(e => e.IncidentId);
        _incidents.EnsureIndex("rooms", "$.Rooms[*].ChannelId");
    }

    public int NextNumber()
    {
        lock (_numbering)
        {
            var counter = _counters.FindById("incident");
            var next = (counter?["Value"].AsInt32 ?? 0) + 1;
            _counters.Upsert(new BsonDocument { ["_id"] = "incident", ["Value"] = next });
            return next;
        }
    }

    public Incident? Find(string id) => _incidents.FindById(id.ToUpperInvariant());

    public IReadOnlyList<Incident> List(bool openOnly) =>
        _incidents.FindAll()
            .Where(i => !openOnly || i.IsOpen)
            .OrderBy(i => i.Number)
            .ToList();

    public Incident? FindByChannel(string platform, string channelId) =>
        _incidents.Find(Query.EQ("$.Rooms[*].ChannelId ANY", channelId))
            .Where(i => i.Rooms.Any(r => r.Platform == platform && r.ChannelId == channelId))
            .OrderByDescending(i => !i.IsFinished)
            .ThenByDescending(i => i.Number)
            .FirstOrDefault();

    public void Commit(Incident incident, IReadOnlyList<TimelineEntry> entries)
    {
        _db.BeginTrans();
        try
        {
            _incidents.Upsert(incident);
            if (entries.Count > 0)
            {
                _timeline.InsertBulk(entries);
            }

            _db.Commit();
        }
        catch
        {
            _db.Rollback();
            throw;
        }
    }

    public void Append(TimelineEntry entry) => _timeline.Insert(entry);

    public bool HasEntry(string sourceRef) => _timeline.Exists(e => e.SourceRef == sourceRef);

    public bool ReplaceEntryText(string sourceRef, string text)
    {
        var entry = _timeline.FindOne(e => e.SourceRef == sourceRef);
        if (entry is null)
        {
            return false;
        }

        entry.Text = text;
        return _timeline.Update(entry);
    }

    public bool RemoveEntry(string sourceRef) => _timeline.DeleteMany(e => e.SourceRef == sourceRef) > 0;

    public IReadOnlyList<TimelineEntry> Timeline(string incidentId) =>
        _timeline.Find(e => e.IncidentId == incidentId).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();

    public void AppendAudit(AuditEntry entry) => _audit.Insert(entry);

    public IReadOnlyList<AuditEntry> Audit(string incidentId) =>
        _audit.Find(e => e.IncidentId == incidentId).OrderBy(e => e.Id).ToList();

    public void Dispose() => _db.Dispose();
}
