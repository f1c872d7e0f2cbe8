using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Storage.Tests;

/// <summary>
/// What the publishers keep in the storage file through <see cref="LiteDbPlatformRecords"/>: the id of each in-place
/// message (a restart edits the same one) and a room's stretch of delivery trouble (a restart in the middle of it still
/// ends with the right count on the timeline).
/// </summary>
public sealed class PublisherRecordsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("publisher-records").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 3, 10, 0, TimeSpan.Zero));
    private readonly Lines _timeline = new();

    private string File => Path.Combine(_folder, "incidentbot.db");

    [Fact]
    public void AnInPlaceMessageIdIsFoundAfterReopeningTheFileForItsIncidentKeyAndRoomOnly()
    {
        using (var store = new LiteDbIncidentStore(File))
        {
            var messages = new InPlaceMessages(new LiteDbPlatformRecords(store), "slack");
            messages.Remember("INC-1", "sync.resync:A1", "C0INC1", "1764299001.000001", _time.GetUtcNow());
            messages.Remember("INC-1", "sync.resync:A1", "C0INC1", "1764299002.000002", _time.GetUtcNow()); // a fresh post replaces it
        }

        using (var store = new LiteDbIncidentStore(File))
        {
            var records = new LiteDbPlatformRecords(store);
            var slack = new InPlaceMessages(records, "slack");
            Assert.Equal("1764299002.000002", slack.Find("INC-1", "sync.resync:A1", "C0INC1"));
            Assert.Null(slack.Find("INC-1", "sync.resync:A1", "C0OTHER")); // the incident moved rooms: that ts is not this room's
            Assert.Null(slack.Find("INC-1", "sync.resync:A2", "C0INC1"));
            Assert.Null(slack.Find("INC-2", "sync.resync:A1", "C0INC1"));
            Assert.Null(new InPlaceMessages(records, "teams").Find("INC-1", "sync.resync:A1", "C0INC1"));
        }
    }

    [Fact]
    public void AStretchOfTroubleThatSpansARestartIsOneLineWhenItStartsAndOneWithTheWholeCountWhenItEnds()
    {
        var room = new Room { Platform = "slack", ChannelId = "C0INC1", ChannelName = "inc-20261128-slow-dashboard" };
        using (var store = new LiteDbIncidentStore(File))
        {
            var deliveries = Deliveries(store);
            Assert.True(deliveries.Failed("INC-1", room, "Slack refused chat.postMessage: is_archived"));
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.False(deliveries.Failed("INC-1", room, "Slack refused chat.update: is_archived"));
            Assert.True(deliveries.IsFailing("INC-1", "C0INC1"));
            Assert.False(deliveries.IsFailing("INC-2", "C0INC1")); // each incident has its own stretch
        }

        Assert.Equal(["Slack is not delivering IncidentBot's messages to #inc-20261128-slow-dashboard (C0INC1): Slack refused chat.postMessage: is_archived. Until it does again, what the bot says is only on this timeline; a line here will say how many messages the room missed."], _timeline.Texts);

        // The bot restarts on the same file; the room still fails once, then works.
        _time.Advance(TimeSpan.FromMinutes(5));
        using (var store = new LiteDbIncidentStore(File))
        {
            var deliveries = Deliveries(store);
            Assert.True(deliveries.IsFailing("INC-1", "C0INC1"));
            Assert.False(deliveries.Failed("INC-1", room, "Slack refused chat.postMessage: is_archived"));
            _time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("3 messages to #inc-20261128-slow-dashboard (C0INC1) could not be delivered between 03:10:00 UTC and 03:16:00 UTC (Slack: Slack refused chat.postMessage: is_archived). Slack delivers to the room again; the timeline has what it missed.", deliveries.Delivered("INC-1", room));
            Assert.False(deliveries.IsFailing("INC-1", "C0INC1"));
            Assert.Null(deliveries.Delivered("INC-1", room)); // said once
        }

        using (var store = new LiteDbIncidentStore(File))
        {
            Assert.False(Deliveries(store).IsFailing("INC-1", "C0INC1")); // the stretch is gone from the file too
        }

        Assert.Equal(2, _timeline.Texts.Count);
        Assert.All(_timeline.Kinds, k => Assert.Equal("delivery", k));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private RoomDeliveries Deliveries(LiteDbIncidentStore store) => new(new LiteDbPlatformRecords(store), _timeline, _time, "slack", "Slack");

    private sealed class Lines : ITimelineRecorder
    {
        public List<string> Texts { get; } = [];

        public List<string> Kinds { get; } = [];

        public void Record(string incidentId, string kind, string text)
        {
            Kinds.Add(kind);
            Texts.Add(text);
        }
    }
}
