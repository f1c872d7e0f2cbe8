using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;
using IncidentBot.Slack;
using IncidentBot.Slack.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Tests.Guard;

/// <summary>
/// Issue 13: a preview posted in a room that is not private masks the targets' addresses (<c>v***@example.org</c>);
/// a private room shows them; the audit log always keeps them in full.
/// </summary>
public sealed class PreviewMaskingTests
{
    private static async Task<GuardHarness> StartAsync(bool? privateRoom)
    {
        var h = await GuardHarness.StartAsync(extra: services =>
        {
            if (privateRoom is { } isPrivate)
            {
                services.AddSingleton<IRoomPrivacy>(new TestRoomPrivacy(isPrivate));
            }
        });
        h.Sandbox.AddUser("user_v", ["old@example.org", "victim@example.org"], primary: 1, sessions: 3);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await h.RunAsync("alice", "/incident ack");
        await h.IdleAsync();
        return h;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)] // no platform says its room is private
    public async Task ThePreviewMasksAddressesInARoomThatIsNotPrivateAndTheAuditKeepsThem(bool? privateRoom)
    {
        await using var h = await StartAsync(privateRoom);

        await h.RunAsync("alice", "/incident revoke user_v");
        await h.PressAsync("bob", h.Chat.Button("A1", "Approve"));

        var card = h.Chat.Approval("A1")!;
        Assert.Contains("user_v <v***@example.org>: 3 active sessions", card.Text);
        Assert.DoesNotContain("victim@example.org", h.Chat.Text);
        Assert.Contains("revoked 3 active sessions", h.Chat.Text);
        Assert.Contains(h.Incidents.Audit("INC-1"), a => a.Event == "requested" && a.Detail.Contains("user_v <victim@example.org>", StringComparison.Ordinal));
        Assert.Contains(h.Incidents.Audit("INC-1"), a => a.Event == "result" && a.Detail.StartsWith("user_v <victim@example.org>: ok", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePreviewShowsFullAddressesInAPrivateRoom()
    {
        await using var h = await StartAsync(privateRoom: true);

        await h.RunAsync("alice", "/incident revoke user_v");

        Assert.Contains("user_v <victim@example.org>: 3 active sessions", h.Chat.Approval("A1")!.Text);
    }

    [Fact]
    public async Task OneRoomThatIsNotPrivateMasksEvenWhenAnotherPlatformSaysPrivate()
    {
        await using var h = await GuardHarness.StartAsync(extra: s => s.AddSingleton<IRoomPrivacy>(new TestRoomPrivacy(true)));
        h.Sandbox.AddUser("user_v", ["victim@example.org"], sessions: 1);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await h.RunAsync("alice", "/incident ack");
        await h.IdleAsync();
        await h.Services.GetRequiredService<IncidentBot.Core.Service.IIncidentRooms>().AttachRoomAsync("INC-1", new Room { Platform = "teams", ChannelId = "19:abc" }, CancellationToken.None);

        await h.RunAsync("alice", "/incident revoke user_v");

        Assert.Contains("user_v <v***@example.org>", h.Chat.Approval("A1")!.Text);
    }

    [Theory]
    [InlineData("a@example.com", "a***@example.com")]
    [InlineData("victim.name+tag@sub.example.org", "v***@sub.example.org")]
    [InlineData("not-an-address", "***")]
    public void AnAddressIsMaskedToItsFirstLetterAndDomain(string email, string masked) =>
        Assert.Equal(masked, RoomPrivacy.Mask(email));

    [Theory]
    [InlineData("security", "inc-20261128-stolen-sessions", true)]
    [InlineData("security", "inc-20261128-stolen-sessions-2", true)]
    [InlineData("security", "general", false)] // the channel could not be created: the incident stays where it was declared
    [InlineData("auth-outage", "inc-20261128-stolen-sessions", false)] // public by Slack:ChannelVisibility's default
    public void ASlackRoomIsPrivateOnlyWhenTheBotCreatedItPrivate(string category, string channel, bool expected)
    {
        var privacy = new SlackRoomPrivacy(Options.Create(new SlackOptions()));
        var incident = new Incident { Id = "INC-1", Number = 1, Title = "Stolen sessions", Category = category, DeclaredAt = GuardHarness.Start };
        incident.Rooms.Add(new Room { Platform = "slack", ChannelId = "C1", ChannelName = channel });

        Assert.Equal(expected, privacy.IsPrivate(incident));
    }
}
