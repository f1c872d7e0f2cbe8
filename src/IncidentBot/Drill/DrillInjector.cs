using IncidentBot.Sandbox;
using IncidentBot.Sync.Sink;
using Microsoft.Extensions.Options;

namespace IncidentBot.Drill;

/// <summary>Each drill category's fault, injected into the sandbox before the incident is declared (so its first check sees it).</summary>
/// <remarks>
/// The webhook-failure drill's app table: with Sync:ConnectionString set it is that PostgreSQL table (created in
/// Prisma's shape if missing, filled with the sandbox's users as they were before the fault, never one holding other
/// users), so sync.gap, sync.export and sync.resync run for real; without it the app's table is the sandbox's own, in
/// memory, which the sync steps can't reach, and the injected note says so.
/// </remarks>
public sealed class DrillInjector(ClerkSandbox sandbox, IOptions<DrillOptions> options, SyncDatabase db, SyncTableSetup table, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Categories = ["auth-outage", "performance", "webhook-failure", "security"];

    /// <summary>Injects the fault and says what it did, for the timeline.</summary>
    public async Task<string> InjectAsync(string category, CancellationToken cancellationToken)
    {
        var o = options.Value;
        switch (category)
        {
            case "auth-outage":
                sandbox.Faults.StartAuthOutage(TimeSpan.FromMinutes(o.OutageMinutes));
                return $"Injected: Clerk's status page shows a major outage and the Backend API answers 503; the app's health fails unless the emergency bypass is on. Clerk recovers by itself {o.OutageMinutes:0.#} minutes from now.";
            case "performance":
                sandbox.Faults.SlowDown(TimeSpan.FromMilliseconds(o.SlowMilliseconds), TimeSpan.FromMinutes(30));
                return $"Injected: every Backend API answer and the app's health take {o.SlowMilliseconds} ms longer for 30 minutes; the status page shows degraded performance.";
            case "webhook-failure":
            {
                var where = await AppTableAsync(cancellationToken);
                var changed = sandbox.Faults.FailWebhooks();
                return $"Injected: the app's Clerk webhook receiver answers 500, and {changed.Count} users changed in Clerk meanwhile ({string.Join(", ", changed)}), so the app's user table has drifted. Resuming webhook processing deploys the receiver's fix; the missed changes need a resync. {where}";
            }

            case "security":
            {
                var victims = sandbox.Faults.PlantSuspiciousSessions(o.SuspiciousUsers);
                var who = victims.Select(id => $"{id} ({sandbox.User(id)!.PrimaryEmail})");
                return $"Injected: two active sessions from an anonymising proxy (100.64.13.x, curl) on each of {victims.Count} users: {string.Join(", ", who)}.";
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(category), category, "not a drill category");
        }
    }

    /// <summary>Puts the sandbox's users into the PostgreSQL table when there is one; says where the app's table is.</summary>
    private async Task<string> AppTableAsync(CancellationToken cancellationToken)
    {
        if (!db.IsConfigured)
        {
            return "The app's table is the sandbox's own, in memory: sync.gap, sync.export and sync.resync can't reach it and will say so (set Sync:ConnectionString to a scratch PostgreSQL database to drill them for real).";
        }

        try
        {
            var created = await table.CreateIfMissingAsync(cancellationToken);
            var users = sandbox.Users;
            var others = await table.CountOthersAsync(users.Select(u => u.Id).ToList(), cancellationToken);
            if (others > 0)
            {
                return $"The app's table is {db.Table.Qualified} in PostgreSQL (Sync:ConnectionString), but it holds {others.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} rows that are not the sandbox's users, so the drill left it untouched: a drill only writes to an empty or drill-filled table. Point Sync:ConnectionString at a scratch database to drill the sync steps.";
            }

            await table.UpsertAsync(users.Select(u => new SyncUser(u.Id, u.PrimaryEmail, u.FirstName, u.LastName)).ToList(), time.GetUtcNow(), cancellationToken);
            return $"The app's table is {db.Table.Qualified} in PostgreSQL (Sync:ConnectionString){(created ? ", created for the drill" : "")}: it held the sandbox's {users.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} users before the fault and missed the changes above, so sync.gap, sync.export and sync.resync run for real.";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"The app's table in PostgreSQL could not be prepared for the drill: {db.Explain(e)}. The sync steps will say what they find.";
        }
    }
}
