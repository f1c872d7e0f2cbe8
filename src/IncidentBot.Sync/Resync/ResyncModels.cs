using System.Globalization;

namespace IncidentBot.Sync.Resync;

/// <summary>What to do with rows whose Clerk user no longer exists. Anything but Keep is destructive and must be asked for.</summary>
public enum OrphanHandling
{
    Keep,
    Delete,
    SoftDelete,
}

/// <summary>One resync. <paramref name="Key"/> names the request (the approval id): a second run with the same key resumes it.</summary>
public sealed record ResyncRequest(string Key, string IncidentId, OrphanHandling Orphans = OrphanHandling.Keep);

/// <summary>Progress as the room sees it: "18,500 of 120,000 users; 3 failed; 4,100 users/s, about 25 s left".</summary>
/// <param name="UsersPerSecond">This run's rate so far (since its start or resume); null until it can be told.</param>
public sealed record ResyncProgress(long Done, long Total, long Failed, bool Resumed, string Phase, double? UsersPerSecond = null)
{
    public string Text => Phase == ResyncCheckpoint.OrphansPhase
        ? $"{N(Done)} of {N(Total)} users; {N(Failed)} failed; now removing orphans" + (Resumed ? " (resumed)" : "")
        : $"{N(Done)} of {N(Total)} users; {N(Failed)} failed" + (Resumed ? " (resumed)" : "") + Pace();

    /// <summary>"; 4,100 users/s, about 25 s left" while users are left and the rate is known.</summary>
    private string Pace() => UsersPerSecond is { } rate && rate > 0 && Done < Total
        ? $"; {N((long)Math.Round(rate))} users/s, about {Left(TimeSpan.FromSeconds(Math.Ceiling((Total - Done) / rate)))} left"
        : "";

    private static string Left(TimeSpan left) => left.TotalSeconds switch
    {
        < 90 => $"{left.TotalSeconds:0} s",
        < 90 * 60 => $"{Math.Round(left.TotalMinutes):0} min",
        _ => $"{(int)left.TotalHours} h {left.Minutes} min",
    };

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>
/// Where a resync got to, saved after every batch: each created_at range's last Clerk user done (the starting_after
/// cursor of its next page) and the counts so far. A plain class with settable properties so LiteDB and JSON both map it.
/// </summary>
public sealed class ResyncCheckpoint
{
    public const string UsersPhase = "users";
    public const string OrphansPhase = "orphans";
    public const string DonePhase = "done";

    public string Key { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string Orphans { get; set; } = nameof(OrphanHandling.Keep);

    public string Phase { get; set; } = UsersPhase;

    /// <summary>The created_at ranges walked, each with its cursor; empty until the walk is planned.</summary>
    public List<ResyncRange> Ranges { get; set; } = [];

    /// <summary>Only in a checkpoint written before ranges: its one walk's last Clerk user done (resumed as one open range).</summary>
    public string? LastClerkId { get; set; }

    /// <summary>Only in a checkpoint written before ranges: the last few ids of its last batch.</summary>
    public List<string> RecentIds { get; set; } = [];

    /// <summary>Every recent id had been deleted in Clerk by the time of a resume, so the walk began again.</summary>
    public bool RestartedFromTheStart { get; set; }

    public long Done { get; set; }

    public long Inserted { get; set; }

    public long Updated { get; set; }

    public long Unchanged { get; set; }

    public long Failed { get; set; }

    public List<string> FailedExamples { get; set; } = [];

    public long OrphansRemoved { get; set; }

    public long OrphansKeptInClerk { get; set; }

    public int Batches { get; set; }

    public int Resumes { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>A copy that shares nothing the walk changes in place (ranges, failed examples).</summary>
    public ResyncCheckpoint Clone()
    {
        var copy = (ResyncCheckpoint)MemberwiseClone();
        copy.Ranges = Ranges.ConvertAll(r => r.Clone());
        copy.FailedExamples = [.. FailedExamples];
        copy.RecentIds = [.. RecentIds];
        return copy;
    }

    /// <summary>Where a resumed run goes on from, for the room and the audit log.</summary>
    public string ContinuingFrom() => Ranges switch
    {
        [] => $"continuing after {LastClerkId ?? "the start"}",
        [var only] => $"continuing after {only.LastClerkId ?? "the start"}",
        _ => $"{Ranges.Count(r => !r.Finished)} of {Ranges.Count} created_at ranges left, each continuing after its last user done",
    };

    public DateTimeOffset SavedAt { get; set; }
}

/// <summary>Keeps resync checkpoints across restarts.</summary>
public interface IResyncCheckpointStore
{
    Task<ResyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken);

    Task SaveAsync(ResyncCheckpoint checkpoint, CancellationToken cancellationToken);
}

/// <summary>What a resync did. <see cref="Resumed"/>: it continued a run that had stopped.</summary>
public sealed record ResyncResult(
    long Done, long Inserted, long Updated, long Unchanged, long Failed, IReadOnlyList<string> FailedExamples,
    OrphanHandling Orphans, long OrphansRemoved, long OrphansKeptInClerk, bool Resumed, int Batches, bool AlreadyFinished, bool RestartedFromTheStart = false)
{
    public string Summary =>
        (AlreadyFinished ? "This resync had already finished: " : Resumed ? "Resumed and finished: " : "") +
        $"{N(Done)} users walked: {N(Inserted)} inserted, {N(Updated)} updated, {N(Unchanged)} already right, {N(Failed)} failed. " +
        Orphans switch
        {
            OrphanHandling.Delete => $"{N(OrphansRemoved)} orphaned rows deleted.",
            OrphanHandling.SoftDelete => $"{N(OrphansRemoved)} orphaned rows marked deleted.",
            _ => "Orphaned rows left alone (not asked to remove them).",
        } +
        (OrphansKeptInClerk > 0 ? $" {N(OrphansKeptInClerk)} apparent orphans exist in Clerk after all and were kept." : "") +
        (RestartedFromTheStart ? " The resume point had been deleted in Clerk, so the walk began again from the start: users done before the restart count twice in the walked total." : "");

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
