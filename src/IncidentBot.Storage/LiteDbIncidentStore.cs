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
/// Incidents, timeline and audit log in one LiteDB file. One shared <see cref="LiteDatabase"/>; a <see cref="StorageLock"/>
/// beside the file keeps a second bot out. Writes pass one gate, so <see cref="BackupTo"/> can copy a consistent file.
/// </summary>
public sealed class LiteDbIncidentStore : IIncidentStore, IDisposable
{
    private static readonly BsonValue[] OpenStates =
        Enum.GetValues<IncidentState>().Where(Incident.IsOpenState).Select(s => new BsonValue(s.ToString())).ToArray();

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<Incident> _incidents;
    private readonly ILiteCollection<BsonDocument> _incidentDocuments;
    private readonly DocumentCache _cache = new(capacity: 512);

    /// <summary>Commits of incidents so far (under the write gate): a read that overlapped one is not cached.</summary>
    private long _commits;
    private readonly ILiteCollection<TimelineEntry> _timeline;
    private readonly ILiteCollection<AuditEntry> _audit;
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly Lock _writes = new();
    private readonly StorageLock? _lock;
    private readonly string _path;

    public LiteDbIncidentStore(string path)
    {
        _path = path;
        if (path != ":memory:" && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
            _lock = StorageLock.Acquire(path);
        }

        try
        {
            StorageFile.Check(path);
            (_db, _incidents, _timeline, _audit, _counters) = Open(path);
            _incidentDocuments = _db.GetCollection("incidents");
            KeepNumberingAhead();
        }
        catch (Exception e)
        {
            _lock?.Dispose();
            throw e is StorageException ? e : new StorageException($"Storage:Path {path} can't be opened, it may be damaged ({e.GetType().Name}: {e.Message}); restore it from a backup", e);
        }
    }

    private static (LiteDatabase, ILiteCollection<Incident>, ILiteCollection<TimelineEntry>, ILiteCollection<AuditEntry>, ILiteCollection<BsonDocument>) Open(string path)
    {
        var mapper = new BsonMapper();
        mapper.Entity<Incident>().Id(i => i.Id, autoId: false).Ignore(i => i.IsOpen).Ignore(i => i.IsFinished);
        mapper.Entity<TimelineEntry>().Id(e => e.Id);
        mapper.Entity<AuditEntry>().Id(e => e.Id);
        MapperWarmUp.Run(mapper, typeof(Incident), typeof(TimelineEntry), typeof(AuditEntry));
        var db = new LiteDatabase(path == ":memory:" ? new ConnectionString(":memory:") : new ConnectionString { Filename = path }, mapper);
        try
        {
            var incidents = db.GetCollection<Incident>("incidents");
            var timeline = db.GetCollection<TimelineEntry>("timeline", BsonAutoId.Int64);
            var audit = db.GetCollection<AuditEntry>("audit", BsonAutoId.Int64);
            timeline.EnsureIndex(e => e.IncidentId);
            timeline.EnsureIndex(e => e.SourceRef);
            audit.EnsureIndex(e => e.IncidentId);
            incidents.EnsureIndex("rooms", "$.Rooms[*].ChannelId");
            incidents.EnsureIndex(i => i.State); // the open ones are read often (scheduler, metrics, list): without reading the closed ones
            return (db, incidents, timeline, audit, db.GetCollection("counters"));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Reads every incident once (damage shows here, at start-up) and keeps the counter above the highest number.</summary>
    private void KeepNumberingAhead()
    {
        var highest = _incidents.FindAll().Select(i => i.Number).DefaultIfEmpty(0).Max();
        var counter = _counters.FindById("incident")?["Value"].AsInt32 ?? 0;
        if (highest > counter)
        {
            _counters.Upsert(new BsonDocument { ["_id"] = "incident", ["Value"] = highest });
        }
    }

    /// <summary>How many incidents the store holds.</summary>
    public int Count => _incidents.Count();

    /// <summary>
    /// A consistent copy at <paramref name="target"/> while the bot runs: under the write gate, the log is folded into
    /// the data file (checkpoint) and the data file copied; the copy is then opened and its incidents counted.
    /// </summary>
    public int BackupTo(string target)
    {
        if (_path == ":memory:")
        {
            throw new StorageException("Storage:Path is :memory:; there is no file to back up");
        }

        var full = System.IO.Path.GetFullPath(target);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        lock (_writes)
        {
            _db.Checkpoint();
            using var source = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None);
            source.CopyTo(copy);
            copy.Flush(flushToDisk: true);
        }

        using (var check = new LiteDatabase(new ConnectionString { Filename = partial, ReadOnly = true }))
        {
            var count = check.GetCollection("incidents").Count();
            check.Dispose();
            File.Move(partial, full, overwrite: true);
            return count;
        }
    }

    public int NextNumber()
    {
        lock (_writes)
        {
            var counter = _counters.FindById("incident");
            var next = (counter?["Value"].AsInt32 ?? 0) + 1;
            _counters.Upsert(new BsonDocument { ["_id"] = "incident", ["Value"] = next });
            return next;
        }
    }

    /// <summary>
    /// A new object each call, mapped from the incident's last committed document: from the cache when it is there
    /// (<see cref="DocumentCache"/>), else read from the file and kept.
    /// </summary>
    public Incident? Find(string id) => Document(id) is { } document ? _db.Mapper.ToObject<Incident>(document) : null;

    /// <summary>Whether there is such an incident: from the cache, or from one read that then is cached (nothing mapped).</summary>
    public bool Exists(string id) => Document(id) is not null;

    /// <summary>The state field of the cached document (the mapper writes enums by name), nothing else mapped.</summary>
    public IncidentState? StateOf(string id) => Document(id) is not { } document
        ? null
        : Enum.TryParse<IncidentState>(document[nameof(Incident.State)].AsString, out var state) ? state : _db.Mapper.ToObject<Incident>(document).State;

    /// <summary>
    /// The incident's last committed document. A read from the file does not wait for the write gate (a write or a
    /// backup in progress); it is kept only if no commit finished while it was read, so the cache never holds an older one.
    /// </summary>
    private BsonDocument? Document(string id)
    {
        var key = id.ToUpperInvariant();
        if (_cache.TryGet(key, out var document))
        {
            return document;
        }

        var commits = Volatile.Read(ref _commits);
        if (_incidentDocuments.FindById(key) is not { } read)
        {
            return null;
        }

        lock (_writes)
        {
            if (_commits == commits)
            {
                _cache.Set(key, read);
            }
        }

        return read;
    }

    public IReadOnlyList<Incident> List(bool openOnly) =>
        (openOnly ? _incidents.Find(Query.In(nameof(Incident.State), OpenStates)) : _incidents.FindAll())
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
        lock (_writes)
        {
            CommitLocked(incident, entries);
        }
    }

    private void CommitLocked(Incident incident, IReadOnlyList<TimelineEntry> entries)
    {
        // The cached document is forgotten, not replaced: the next read takes it from the file, so what the cache holds
        // is always exactly what the file gives back (dates as LiteDB stores them, to the millisecond).
        _cache.Forget(incident.Id.ToUpperInvariant());
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
        finally
        {
            _commits++;
        }
    }

    public void Append(TimelineEntry entry)
    {
        lock (_writes)
        {
            _timeline.Insert(entry);
        }
    }

    public bool HasEntry(string sourceRef) => _timeline.Exists(e => e.SourceRef == sourceRef);

    public bool ReplaceEntryText(string sourceRef, string text)
    {
        var entry = _timeline.FindOne(e => e.SourceRef == sourceRef);
        if (entry is null)
        {
            return false;
        }

        entry.Text = text;
        lock (_writes)
        {
            return _timeline.Update(entry);
        }
    }

    public bool RemoveEntry(string sourceRef)
    {
        lock (_writes)
        {
            return _timeline.DeleteMany(e => e.SourceRef == sourceRef) > 0;
        }
    }

    public IReadOnlyList<TimelineEntry> Timeline(string incidentId) =>
        _timeline.Find(e => e.IncidentId == incidentId).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();

    public void AppendAudit(AuditEntry entry)
    {
        lock (_writes)
        {
            _audit.Insert(entry);
        }
    }

    /// <summary>A read of another collection in the same file (<see cref="LiteDbPlatformRecords"/>).</summary>
    internal T Read<T>(Func<LiteDatabase, T> read) => read(_db);

    /// <summary>A write to another collection in the same file, through the write gate (<see cref="LiteDbPlatformRecords"/>).</summary>
    internal T Write<T>(Func<LiteDatabase, T> write)
    {
        lock (_writes)
        {
            return write(_db);
        }
    }

    public IReadOnlyList<AuditEntry> Audit(string incidentId) =>
        _audit.Find(e => e.IncidentId == incidentId).OrderBy(e => e.Id).ToList();

    public void Dispose()
    {
        _db.Dispose();
        _lock?.Dispose();
    }
}
