using System.Net;
using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Checks;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Actions;

/// <summary>
/// The Clerk actions on users. Planning resolves ids and emails to users (primary email by primary_email_address_id),
/// counts active sessions and marks who is already in the target state; running acts per target and reports each.
/// </summary>
public sealed class ClerkActions(IClerkClient client, ClerkAudit audit, IOptions<ClerkOptions> options) : IActionRunner
{
    private const int LookupChunk = 100;

    public RunnerKey Key => RunnerKey.ClerkUsers;

    public async Task<ActionPlan> PlanAsync(ActionAsk ask, CancellationToken cancellationToken)
    {
        var entry = Catalogue.RequiredAction(ask.Action);
        var (title, destructive) = (entry.Title, entry.Destructive);
        if (!options.Value.IsConfigured)
        {
            return ActionPlan.Refused(title, $"{ClerkChecks.NotConfigured} Do it in the Clerk dashboard instead.");
        }

        var clerk = audit.Recording(client, ask.IncidentId, ask.Action, null);
        try
        {
            var (users, missing) = await ResolveAsync(clerk, ask.Targets, cancellationToken);
            if (missing.Count > 0)
            {
                return ActionPlan.Refused(title, $"Clerk has no user {string.Join(", ", missing)}: check the ids and emails (nothing was requested).");
            }

            var counts = ask.Action is "clerk.revoke-sessions" or "clerk.ban" or "clerk.set-password-compromised";
            var targets = new List<PlannedTarget>();
            long sessions = 0;
            foreach (var user in users)
            {
                var active = counts && !(ask.Action == "clerk.ban" && user.Banned)
                    ? (await clerk.ListSessionsAsync(user.Id, "active", 1, 0, cancellationToken)).TotalCount
                    : 0;
                sessions += active;
                targets.Add(Plan(ask.Action, user, active, counts));
            }

            var already = targets.Count(t => t.AlreadyDone);
            var summary = $"{title} for {ApprovalViews.Count(targets.Count, "user")}"
                + (counts ? $", ending {ApprovalViews.Count((int)sessions, "active session")}" : "")
                + (already > 0 ? $"; {already} already done and left alone" : "");
            return new ActionPlan(title, targets, destructive, summary);
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return ActionPlan.Refused(title, $"Could not look the users up: {ClerkErrors.Explain(e)}");
        }
    }

    private static PlannedTarget Plan(string action, ClerkUser user, long sessions, bool counted)
    {
        var state = new List<string>();
        if (counted)
        {
            state.Add(ApprovalViews.Count((int)sessions, "active session"));
        }

        if (user.Banned)
        {
            state.Add("already banned");
        }

        if (user.Locked)
        {
            state.Add("locked");
        }

        var done = action switch
        {
            "clerk.revoke-sessions" => sessions == 0,
            "clerk.ban" => user.Banned,
            "clerk.unban" => !user.Banned,
            "clerk.lock" => user.Locked,
            "clerk.unlock" => !user.Locked,
            _ => false,
        };
        if (action == "clerk.unban" && !user.Banned)
        {
            state.Add("not banned");
        }

        if (action == "clerk.unlock" && !user.Locked)
        {
            state.Add("not locked");
        }

        return new PlannedTarget
        {
            Id = user.Id,
            Email = user.PrimaryEmail,
            OtherEmails = (user.EmailAddresses ?? []).Select(e => e.EmailAddress).Where(e => !string.Equals(e, user.PrimaryEmail, StringComparison.OrdinalIgnoreCase)).ToList(),
            Note = (state.Count == 0 ? "will be changed" : string.Join(", ", state)) + (done ? " (nothing to do)" : ""),
            AlreadyDone = done,
        };
    }

    private static async Task<(List<ClerkUser> Users, List<string> Missing)> ResolveAsync(IClerkClient clerk, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, ClerkUser>();
        var missing = new List<string>();
        var ids = targets.Where(t => t.StartsWith("user_", StringComparison.Ordinal)).Distinct().ToList();
        var emails = targets.Where(t => !t.StartsWith("user_", StringComparison.Ordinal)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var chunk in ids.Chunk(LookupChunk))
        {
            var found = await clerk.ListUsersAsync(new UserQuery(UserIds: chunk, Limit: chunk.Length), cancellationToken);
            foreach (var user in found)
            {
                users.TryAdd(user.Id, user);
            }

            missing.AddRange(chunk.Where(id => found.All(u => u.Id != id)));
        }

        foreach (var chunk in emails.Chunk(LookupChunk))
        {
            var found = await clerk.ListUsersAsync(new UserQuery(EmailAddresses: chunk, Limit: ClerkClient.MaxLimit), cancellationToken);
            foreach (var email in chunk)
            {
                var user = found.FirstOrDefault(u => u.HasEmail(email));
                if (user is null)
                {
                    missing.Add(email);
                }
                else
                {
                    users.TryAdd(user.Id, user);
                }
            }
        }

        // Keep the order they were asked in.
        var order = targets.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.OrdinalIgnoreCase);
        var ordered = users.Values.OrderBy(u => order.TryGetValue(u.Id, out var i) ? i : order.Where(o => u.HasEmail(o.Key)).Select(o => o.Value).DefaultIfEmpty(int.MaxValue).Min()).ToList();
        return (ordered, missing);
    }

    public async Task<IReadOnlyList<TargetResult>> RunAsync(ActionRun run, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return run.Targets.Select(t => Failed(t, ClerkChecks.NotConfigured)).ToList();
        }

        var clerk = audit.Recording(client, run.IncidentId, run.Action, run.ApprovalId);
        return run.Action switch
        {
            "clerk.ban" => await BulkAsync(clerk, run, banned: true, cancellationToken),
            "clerk.unban" => await BulkAsync(clerk, run, banned: false, cancellationToken),
            "clerk.lock" => await EachAsync(run, async (t, ct) => { await clerk.LockUserAsync(t.Id, ct); return "locked"; }, cancellationToken),
            "clerk.unlock" => await EachAsync(run, async (t, ct) => { await clerk.UnlockUserAsync(t.Id, ct); return "unlocked"; }, cancellationToken),
            "clerk.set-password-compromised" => await EachAsync(run, async (t, ct) =>
            {
                await clerk.SetPasswordCompromisedAsync(t.Id, revokeAllSessions: true, ct);
                return "password marked compromised (reset at next sign-in), all sessions revoked";
            }, cancellationToken),
            "clerk.revoke-sessions" => await EachAsync(run, (t, ct) => RevokeAllAsync(clerk, t, ct), cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(run), run.Action, "not a Clerk user action"),
        };
    }

    /// <summary>Pages through every active session (paginated=true, 500 a page) before revoking, so none is skipped by the shrinking list.</summary>
    private static async Task<string> RevokeAllAsync(IClerkClient clerk, PlannedTarget target, CancellationToken cancellationToken)
    {
        var sessions = new List<ClerkSession>();
        long total;
        do
        {
            var page = await clerk.ListSessionsAsync(target.Id, "active", ClerkClient.MaxLimit, sessions.Count, cancellationToken);
            sessions.AddRange(page.Data);
            total = page.TotalCount;
            if (page.Data.Count == 0)
            {
                break;
            }
        }
        while (sessions.Count < total);

        var failures = new List<string>();
        foreach (var session in sessions.DistinctBy(s => s.Id))
        {
            try
            {
                await clerk.RevokeSessionAsync(session.Id, cancellationToken);
            }
            catch (ClerkApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
            {
                // Gone already (ended or cleaned up): nothing left to revoke.
            }
            catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
            {
                failures.Add($"{session.Id}: {ClerkErrors.Explain(e)}");
            }
        }

        var count = sessions.DistinctBy(s => s.Id).Count();
        if (failures.Count > 0)
        {
            throw new PartialFailure($"revoked {count - failures.Count} of {count} active sessions; {failures.Count} failed, first: {failures[0]}");
        }

        return $"revoked {ApprovalViews.Count(count, "active session")}";
    }

    /// <summary>One target after another, each result reported as soon as it is known (<see cref="ActionRun.Report"/>).</summary>
    private static async Task<IReadOnlyList<TargetResult>> EachAsync(
        ActionRun run, Func<PlannedTarget, CancellationToken, Task<string>> act, CancellationToken cancellationToken)
    {
        var results = new List<TargetResult>();
        foreach (var target in run.Targets)
        {
            TargetResult result;
            try
            {
                result = new TargetResult { Target = target.Label, Succeeded = true, Detail = await act(target, cancellationToken) };
            }
            catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException or PartialFailure)
            {
                result = Failed(target, e is PartialFailure ? e.Message : ClerkErrors.Explain(e));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Anything else (an answer that doesn't parse, say) fails this target only: the ones before it did succeed.
                result = Failed(target, $"unexpected error: {e.GetType().Name}: {e.Message}");
            }

            results.Add(run.Report(result));
        }

        return results;
    }

    /// <summary>
    /// POST /users/ban (or unban) 50 at a time. A user the bulk answer leaves out, or every user of a chunk Clerk refused as a
    /// whole (400, 404, 422: one bad id spoils it), is asked for on its own with POST /users/{id}/ban, so each gets its own answer.
    /// </summary>
    private static async Task<IReadOnlyList<TargetResult>> BulkAsync(IClerkClient clerk, ActionRun run, bool banned, CancellationToken cancellationToken)
    {
        var results = new List<TargetResult>();
        foreach (var chunk in run.Targets.Chunk(ClerkClient.MaxBulkIds))
        {
            IReadOnlyList<ClerkUser> answered;
            try
            {
                var ids = chunk.Select(t => t.Id).ToList();
                answered = banned ? await clerk.BanUsersAsync(ids, cancellationToken) : await clerk.UnbanUsersAsync(ids, cancellationToken);
            }
            catch (ClerkApiException e) when (e.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity)
            {
                answered = [];
            }
            catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
            {
                results.AddRange(chunk.Select(t => run.Report(Failed(t, ClerkErrors.Explain(e)))));
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.AddRange(chunk.Select(t => run.Report(Failed(t, $"unexpected error: {e.GetType().Name}: {e.Message}"))));
                continue;
            }

            foreach (var target in chunk)
            {
                var user = answered.FirstOrDefault(u => u.Id == target.Id);
                results.Add(run.Report(user is not null && user.Banned == banned ? Banned(target, banned) : await OneAsync(clerk, target, banned, cancellationToken)));
            }
        }

        return results;
    }

    private static async Task<TargetResult> OneAsync(IClerkClient clerk, PlannedTarget target, bool banned, CancellationToken cancellationToken)
    {
        try
        {
            var user = banned ? await clerk.BanUserAsync(target.Id, cancellationToken) : await clerk.UnbanUserAsync(target.Id, cancellationToken);
            return user.Banned == banned ? Banned(target, banned) : Failed(target, $"Clerk still shows banned={user.Banned}");
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return Failed(target, ClerkErrors.Explain(e));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(target, $"unexpected error: {e.GetType().Name}: {e.Message}");
        }
    }

    private static TargetResult Banned(PlannedTarget target, bool banned) =>
        new() { Target = target.Label, Succeeded = true, Detail = banned ? "banned (Clerk revoked all their sessions)" : "unbanned" };

    private static TargetResult Failed(PlannedTarget target, string why) => new() { Target = target.Label, Succeeded = false, Detail = why };

    private sealed class PartialFailure(string message) : Exception(message);
}
