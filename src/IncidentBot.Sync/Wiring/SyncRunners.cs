using IncidentBot.Clerk;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Runbooks;
using IncidentBot.Sync.Export;
using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Resync;
using IncidentBot.Sync.Sink;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Sync.Wiring;

/// <summary>
/// The only place the sync engine meets Core's checks and actions (<c>sync.gap</c>, <c>sync.export</c>,
/// <c>sync.resync</c>): rewire this file, and nothing else, onto a new catalogue. The engine's surface is
/// <see cref="SyncGap.CheckAsync"/>, <see cref="SyncExport.WriteAsync"/> and <see cref="SyncResync.RunAsync"/>.
/// </summary>
public static class SyncWiring
{
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<ICheckRunner, SyncCheckRunner>();
        services.AddSingleton<IActionRunner, SyncActionRunner>();
    }

    internal const string NotConfigured = "Data sync is not configured: set Sync:ConnectionString (and the table mapping, see the README's Data sync section).";
}

/// <summary><c>sync.gap</c>: healthy only when nothing is missing, stale or orphaned.</summary>
public sealed class SyncCheckRunner(SyncGap gap, SyncDatabase db) : ICheckRunner
{
    public RunnerKey Key => RunnerKey.Sync;

    public async Task<CheckResult> RunAsync(string incidentId, string check, IReadOnlyDictionary<string, string> with, CancellationToken cancellationToken)
    {
        if (!db.IsConfigured)
        {
            return new CheckResult(check, null, SyncWiring.NotConfigured, []);
        }

        try
        {
            var report = await gap.CheckAsync(cancellationToken);
            return new CheckResult(check, report.IsZero, report.Summary, report.Lines);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CheckResult(check, null, "The sync gap could not be measured: " + db.Explain(e), []);
        }
    }
}

/// <summary>
/// <c>sync.export</c> (not destructive) and <c>sync.resync</c> (its preview is a dry run: what would be inserted,
/// updated, and what happens to orphans; removing orphans needs <c>with: orphans: delete</c> or <c>soft-delete</c>
/// and makes the request destructive). A resync's checkpoint key is its approval id, so running the same approved
/// request again resumes it.
/// </summary>
public sealed class SyncActionRunner(
    SyncGap gap, SyncExport export, SyncResync resync, IResyncCheckpointStore checkpoints, SyncDatabase db, ClerkAudit audit, IRoomProgress room, ILogger<SyncActionRunner> log) : IActionRunner
{
    public RunnerKey Key => RunnerKey.Sync;

    public async Task<ActionPlan> PlanAsync(ActionAsk ask, CancellationToken cancellationToken)
    {
        var title = ask.Action == "sync.export" ? "Export the user table" : "Resync users from Clerk";
        if (!db.IsConfigured)
        {
            return ActionPlan.Refused(title, SyncWiring.NotConfigured);
        }

        var schema = await SyncSchema.CheckAsync(db, cancellationToken);
        if (!schema.Ok)
        {
            return ActionPlan.Refused(title, string.Join(" ", schema.Problems));
        }

        var table = new PlannedTarget { Id = db.Table.Qualified };
        if (ask.Action == "sync.export")
        {
            table.Note = $"gzipped CSV to {db.Options.ExportPath}/{ask.IncidentId}-users-<time>.csv.gz, with its SHA-256 in the audit log";
            return new ActionPlan(title, [table], false, "writes a snapshot of every row; changes nothing");
        }

        if (Orphans(ask.Parameters) is not { } orphans)
        {
            return ActionPlan.Refused(title, $"orphans must be keep, delete or soft-delete, not '{ask.Parameters["orphans"]}'.");
        }

        if (orphans == OrphanHandling.SoftDelete && !db.Table.HasSoftDelete)
        {
            return ActionPlan.Refused(title, "orphans: soft-delete needs Sync:Columns:SoftDelete; the mapping has no soft-delete column.");
        }

        GapReport dry;
        try
        {
            dry = await gap.CheckAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ActionPlan.Refused(title, "The dry run failed: " + db.Explain(e));
        }

        table.Note = string.Join("; ", dry.Lines);
        var fate = orphans switch
        {
            OrphanHandling.Delete => $"DELETES {GapReport.N(dry.Orphans.Count)} orphaned rows",
            OrphanHandling.SoftDelete => $"marks {GapReport.N(dry.Orphans.Count)} orphaned rows deleted",
            _ => $"leaves {GapReport.N(dry.Orphans.Count)} orphaned rows alone (ask with orphans: delete to remove them)",
        };
        var summary = $"dry run: would insert {GapReport.N(dry.Missing.Count)} and update {GapReport.N(dry.Stale.Count)} of {GapReport.N(dry.ClerkUsers)} Clerk users; {fate}";
        return new ActionPlan(title, [table], orphans != OrphanHandling.Keep, summary,
            Parameters: new Dictionary<string, string> { ["orphans"] = orphans.ToString(), [ApprovalService.ResumableParameter] = "checkpoint" });
    }

    public async Task<IReadOnlyList<TargetResult>> RunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        var target = db.Table.Qualified;
        try
        {
            if (run.Action == "sync.export")
            {
                var written = await export.WriteAsync(run.IncidentId, cancellationToken);
                var detail = $"{written.Rows:N0} rows to {written.Path}, SHA-256 {written.Sha256}";
                audit.Write(run.IncidentId, "export", run.Action, run.ApprovalId, detail);
                return [new TargetResult { Target = target, Succeeded = true, Detail = detail }];
            }

            var request = new ResyncRequest(run.ApprovalId, run.IncidentId, Orphans(run.Parameters) ?? OrphanHandling.Keep);
            if (await checkpoints.LoadAsync(request.Key, cancellationToken) is { Phase: not ResyncCheckpoint.DonePhase } stopped)
            {
                var resumed = $"{run.ApprovalId} resync resumed from its checkpoint: {GapReport.N(stopped.Done)} users were done in {stopped.Batches} batches before the stop; {stopped.ContinuingFrom()}.";
                audit.Write(run.IncidentId, "resumed", run.Action, run.ApprovalId, resumed);
                await room.NoteAsync(run.IncidentId, resumed, cancellationToken);
            }
            else
            {
                audit.Write(run.IncidentId, "request", run.Action, run.ApprovalId, $"resync started, orphans: {request.Orphans}");
            }

            var key = $"{run.Action}:{run.ApprovalId}";
            var result = await resync.RunAsync(request, async (p, ct) =>
            {
                log.LogInformation("{Incident} {Approval}: {Progress}", run.IncidentId, run.ApprovalId, p.Text);
                await room.ShowAsync(run.IncidentId, key, new ChatMessage { Header = $"{run.ApprovalId} resync progress", Text = p.Text }, ct);
            }, checkpoints, cancellationToken);
            audit.Write(run.IncidentId, "result", run.Action, run.ApprovalId, result.Summary);
            return [new TargetResult { Target = target, Succeeded = result.Failed == 0, Detail = result.Summary + Failures(result) }];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var why = db.Explain(e);
            audit.Write(run.IncidentId, "result", run.Action, run.ApprovalId, "failed: " + why);
            return [new TargetResult { Target = target, Succeeded = false, Detail = why }];
        }
    }

    private static string Failures(ResyncResult result) =>
        result.FailedExamples.Count == 0 ? "" : " Failed, e.g.: " + string.Join("; ", result.FailedExamples);

    private static OrphanHandling? Orphans(IReadOnlyDictionary<string, string> parameters) =>
        (parameters.GetValueOrDefault("orphans") ?? "keep").ToLowerInvariant() switch
        {
            "keep" => OrphanHandling.Keep,
            "delete" => OrphanHandling.Delete,
            "soft-delete" or "softdelete" => OrphanHandling.SoftDelete,
            _ => null,
        };
}
