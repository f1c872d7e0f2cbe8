using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Clerk.Tests.Commands;

/// <summary>The webhook dashboard link logs its holder in: it reaches the person who asked and nothing else.</summary>
public sealed class WebhookDashboardTests
{
    [Fact]
    public async Task TheDashboardLinkGoesOnlyToWhoAskedNeverToTheRoomTimelineAuditOrLogs()
    {
        await using var h = await Harness.StartAsync(logLevel: LogLevel.Trace);
        await h.RunAsync("alice", "/incident declare webhook-failure sev2 Users missing in our database");
        await h.RunAsync("alice", "/incident ack");
        await h.IdleAsync();
        await h.RunAsync("alice", "/incident step done"); // identify-gap
        Assert.Contains("`/incident webhooks` sends you, and only you, a sign-in link", h.Chat.Posts.Last(p => p.Kind == MessageKind.Step).Text);

        var reply = (await h.RunAsync("bob", "/incident webhooks")).Reply;

        var link = Assert.Single(h.Sandbox.DashboardLinks);
        Assert.False(reply.PostedInRoom);
        Assert.Equal("Webhook dashboard (Svix): for you only", reply.Message.Header);
        Assert.StartsWith(link + "\n", reply.Message.Text);
        Assert.Contains("Message Attempts", reply.Message.Text);
        Assert.Contains("recover all failed (or all missing) messages since a time", reply.Message.Text);

        var secret = link[link.IndexOf("#key=", StringComparison.Ordinal)..];
        Assert.DoesNotContain(secret, h.Chat.Text);
        Assert.DoesNotContain(h.Chat.Posts, p => p.Buttons.Any(b => b.Action.Command.Contains(secret, StringComparison.Ordinal)));
        Assert.DoesNotContain(secret, string.Join('\n', h.Chat.LastCard!.Fields.Select(f => f.Value)));
        var timeline = h.Incidents.Timeline("INC-1");
        Assert.All(timeline, e => Assert.DoesNotContain(secret, e.Text));
        Assert.Contains(timeline, e => e.Text == "bob got a webhook dashboard sign-in link, sent to them only.");
        var audit = h.Incidents.Audit("INC-1");
        Assert.All(audit, a => Assert.DoesNotContain(secret, a.Detail));
        Assert.Contains(audit, a => a.Action == "clerk.webhook-dashboard" && a.Detail.StartsWith("POST /v1/webhooks/svix_url -> 200", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "clerk.webhook-dashboard" && a.Detail == "webhook dashboard sign-in link given to bob only (the link is not kept)");
        Assert.Contains("webhooks/svix_url", h.Logs.Text); // the logs did see the call...
        Assert.DoesNotContain(secret, h.Logs.Text); // ...but never the link
        Assert.DoesNotContain("svixtoken", h.Logs.Text + h.Chat.Text + string.Join('\n', timeline.Select(e => e.Text)));
        Assert.Empty(h.Sandbox.Violations);
    }

    [Fact]
    public async Task WithoutASecretKeyItSaysWhereToGoInstead()
    {
        await using var h = await Harness.StartAsync(s => s["Clerk:SecretKey"] = "");
        await h.RunAsync("alice", "/incident declare webhook-failure sev2 Users missing");

        var reply = (await h.RunAsync("alice", "/incident webhooks")).Reply;

        Assert.Equal(MessageKind.Warning, reply.Message.Kind);
        Assert.Contains("Clerk is not configured", reply.Message.Text);
        Assert.Empty(h.Sandbox.DashboardLinks);
    }

    [Fact]
    public async Task AClerkRefusalIsExplained()
    {
        await using var h = await Harness.StartAsync();
        await h.RunAsync("alice", "/incident declare webhook-failure sev2 Users missing");
        h.Sandbox.Fail("POST", "^/v1/webhooks/svix_url$", 400, "svix_app_missing");

        var reply = (await h.RunAsync("alice", "/incident webhooks")).Reply;

        Assert.Equal(MessageKind.Warning, reply.Message.Kind);
        Assert.Contains("Could not get a webhook dashboard link: Clerk answered 400 svix_app_missing", reply.Message.Text);
        Assert.DoesNotContain(h.Incidents.Timeline("INC-1"), e => e.Text.Contains("sign-in link", StringComparison.Ordinal));
    }
}
