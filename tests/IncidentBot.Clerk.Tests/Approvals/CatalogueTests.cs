using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk.Tests.Approvals;

/// <summary>The one typed catalogue: every entry the bot automates has a runner, and nothing outside it runs.</summary>
public sealed class CatalogueTests
{
    [Fact]
    public async Task EveryCatalogueEntryTheClerkProjectRunsHasARunnerOnceClerkIsAdded()
    {
        await using var h = await Harness.StartAsync();
        var actions = h.Services.GetServices<IActionRunner>().Select(r => r.Key).ToHashSet();
        var checks = h.Services.GetServices<ICheckRunner>().Select(r => r.Key).ToHashSet();
        RunnerKey[] clerks = [RunnerKey.ClerkUsers, RunnerKey.Hooks, RunnerKey.ClerkChecks];

        Assert.All(Catalogue.Actions.Where(a => clerks.Contains(a.Runner)), a => Assert.Contains(a.Runner, actions));
        Assert.All(Catalogue.Checks.Where(c => clerks.Contains(c.Runner)), c => Assert.Contains(c.Runner, checks));
        Assert.Contains(Catalogue.Actions, a => a.Runner == RunnerKey.ClerkUsers);
        Assert.Contains(Catalogue.Checks, c => c.Runner == RunnerKey.ClerkChecks);
    }

    [Fact]
    public async Task ANameOutsideTheCatalogueOrWithoutARegisteredRunnerIsRefusedAndNothingIsSent()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.AddUser("user_a", ["a@example.org"]);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        var approvals = h.Services.GetRequiredService<ApprovalService>();

        var unknown = await h.DriveAsync(approvals.RequestAsync("INC-1", new Actor("alice"), null, "clerk.delete-everyone", ["user_a"], new Dictionary<string, string>(), false, null, CancellationToken.None));
        var byHand = await h.DriveAsync(approvals.RequestAsync("INC-1", new Actor("alice"), null, "sync.resync", [], new Dictionary<string, string>(), false, null, CancellationToken.None));
        var check = await h.RunAsync("alice", "/incident check clerk.nope");

        Assert.StartsWith("`clerk.delete-everyone` is not an action the bot knows", unknown.Message);
        // This harness adds Clerk only, not the sync runner: the catalogue names it, nothing here runs it.
        Assert.StartsWith("`sync.resync` is not available from the bot: do it by hand", byHand.Message);
        Assert.IsType<Refused>(check.Reply.Outcome);
        Assert.Empty(h.Incident().Approvals);
        Assert.Equal(0, h.Sandbox.Count("POST", "."));
    }
}
