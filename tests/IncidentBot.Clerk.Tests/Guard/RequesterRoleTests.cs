using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.People;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Tests.Guard;

/// <summary>
/// Issue 13, "anyone in the workspace can read Clerk data": only people on the roster with a requester role may request
/// a Clerk action; anyone else is refused before Clerk is asked anything, and the refusal says nothing about the target.
/// </summary>
public sealed class RequesterRoleTests : IAsyncLifetime
{
    private GuardHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await GuardHarness.StartAsync();
        _h.Sandbox.AddUser("user_real", ["victim@example.org"], sessions: 3);
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SomeoneOffTheRosterMayNotRequestAClerkActionAndClerkIsNotAsked()
    {
        var before = _h.ClerkApiRequests;

        var result = await _h.RunAsync(_h.Slack("U0EVIL", "bob"), "/incident revoke INC-1 victim@example.org");

        var refused = Assert.IsType<Refused>(result.Reply.Outcome);
        Assert.Contains("bob (U0EVIL) may not request actions", refused.Text);
        Assert.Contains("on-call or engineering-lead or cto", refused.Text);
        Assert.Equal(before, _h.ClerkApiRequests);
        Assert.Empty(_h.Incident().Approvals);
        Assert.Null(_h.Chat.Approval("A1"));
        Assert.Contains(_h.Incidents.Timeline("INC-1"), e => e.Text.StartsWith("bob (U0EVIL) was refused `clerk.revoke-sessions`", StringComparison.Ordinal));
        Assert.Contains(_h.Incidents.Audit("INC-1"), a => a is { Event: "refused", Actor: "bob (U0EVIL)" } && a.Detail.Contains("victim@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARosterPersonWithoutARequesterRoleMayNotRequestAndClerkIsNotAsked()
    {
        var before = _h.ClerkApiRequests;

        var result = await _h.RunAsync(_h.Slack("UDAVE", "dave"), "/incident ban INC-1 user_real");

        Assert.Contains("dave may not request actions", Assert.IsType<Refused>(result.Reply.Outcome).Text);
        Assert.Equal(before, _h.ClerkApiRequests);
        Assert.False(_h.Sandbox.User("user_real")!.Banned);
        Assert.Empty(_h.Incident().Approvals);
    }

    [Fact]
    public async Task ARosterPersonWithARequesterRoleGetsThePreview()
    {
        var result = await _h.RunAsync(_h.Slack("UALICE", "alice"), "/incident revoke INC-1 user_real");

        Assert.True(result.Reply.Outcome is not Refused, result.Reply.Message.Text);
        Assert.Contains("user_real", _h.Chat.Approval("A1")!.Text);
    }

    [Fact]
    public async Task ARefusalForANonRequesterIsTheSameWhetherTheTargetExistsOrNot()
    {
        var before = _h.ClerkApiRequests;
        var outsider = _h.Slack("U0EVIL", "mallory");

        var realEmail = await _h.RunAsync(outsider, "/incident revoke INC-1 victim@example.org");
        var noEmail = await _h.RunAsync(outsider, "/incident revoke INC-1 nobody-here@example.org");
        var realId = await _h.RunAsync(outsider, "/incident ban INC-1 user_real");
        var noId = await _h.RunAsync(outsider, "/incident ban INC-1 user_doesnotexist");

        Assert.Equal(realEmail.Reply.Message.Text, noEmail.Reply.Message.Text);
        Assert.Equal(realId.Reply.Message.Text, noId.Reply.Message.Text);
        Assert.DoesNotContain("no user", realEmail.Reply.Message.Text + noEmail.Reply.Message.Text + realId.Reply.Message.Text + noId.Reply.Message.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, _h.ClerkApiRequests);
    }
}

/// <summary>Approvals:RequesterRoles: who may request, set apart from who may approve, and checked at start-up.</summary>
public sealed class RequesterRoleSettingsTests
{
    [Fact]
    public async Task ConfiguredRequesterRolesLetSupportRequestButNotApprove()
    {
        await using var h = await GuardHarness.StartAsync(s =>
        {
            s["Approvals:RequesterRoles:0"] = "support";
            s["Approvals:RequesterRoles:1"] = "on-call";
        });
        h.Sandbox.AddUser("user_real", ["victim@example.org"], sessions: 2);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await h.RunAsync("alice", "/incident ack");
        await h.IdleAsync();

        var request = await h.RunAsync(h.Slack("UDAVE", "dave"), "/incident revoke INC-1 user_real");
        var bob = await h.RunAsync(h.Slack("UBOB", "bob"), "/incident revoke INC-1 user_real");
        var daveApproves = await h.PressAsync("dave", h.Chat.Button("A1", "Approve"));

        Assert.True(request.Reply.Outcome is not Refused, request.Reply.Message.Text);
        Assert.Contains("bob may not request actions", Assert.IsType<Refused>(bob.Reply.Outcome).Text);
        Assert.Contains("may not decide A1", daveApproves.Reply.Message.Text);
    }

    [Fact]
    public void ARequesterRoleNobodyHoldsStopsStartUpNamingTheKey()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(GuardHarness.Roster)
        {
            ["Approvals:RequesterRoles:0"] = "on-call",
            ["Approvals:RequesterRoles:1"] = "night-owl",
        }).Build();
        var services = new ServiceCollection();
        services.AddSettings<RosterOptions, RosterOptionsValidator>(configuration, RosterOptions.Section);
        services.AddSettings<ApprovalOptions, ApprovalOptionsValidator>(configuration, ApprovalOptions.Section);
        using var provider = services.BuildServiceProvider();

        var problem = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApprovalOptions>>().Value);

        Assert.Contains("Approvals:RequesterRoles:1 is 'night-owl', a role nobody in Roster:People holds", problem.Message);
    }

    [Fact]
    public void RequesterRolesDefaultToTheRolesThatMayApproveTheAction()
    {
        var options = new ApprovalOptions { ActionRoles = new(StringComparer.OrdinalIgnoreCase) { ["clerk.ban"] = ["security"] } };

        Assert.Equal(["security", "on-call", "engineering-lead", "cto"], options.RequesterRolesFor("clerk.ban"));
        Assert.Equal(["on-call", "engineering-lead", "cto"], options.RequesterRolesFor("clerk.lock"));
    }
}
