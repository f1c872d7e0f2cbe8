using System.Globalization;
using System.Text.Json;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Messaging;

/// <summary>
/// Whether a chat platform gets the bot's messages into an incident's room, told on the timeline once per stretch of
/// trouble rather than once per message: one line when deliveries to the room start failing (what failed and the
/// platform's answer) and one when a delivery gets through again ("N messages to #chan could not be delivered between
/// T1 and T2"). The lines go through <see cref="ITimelineRecorder"/>, never into the room, so a failing room can't make
/// more failures. The stretch is kept in the storage file (<c>&lt;platform&gt;_room_trouble</c>), so a restart in the
/// middle of it still ends with the right count.
/// </summary>
/// <param name="describe">The room as its people know it (default: Slack's <c>#name (C123)</c>, see <see cref="Name"/>).</param>
public sealed class RoomDeliveries(
    IPlatformRecords records, ITimelineRecorder timeline, TimeProvider time, string platform, string platformTitle, Func<Room, string>? describe = null, IRoomDeliveryCounter? counter = null)
{
    private readonly Func<Room, string> _describe = describe ?? Name;
    private readonly string _collection = platform + "_room_trouble";
    private readonly Dictionary<string, Trouble?> _known = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A delivery to the room failed because of <paramref name="problem"/>. True when this failure starts a stretch of trouble.</summary>
    public bool Failed(string incidentId, Room room, string problem)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var id = Id(incidentId, room.ChannelId);
            var trouble = Load(id);
            var started = trouble is null;
            trouble ??= new Trouble { Incident = incidentId, Channel = room.ChannelId, Since = now, FirstProblem = problem };
            trouble.Count++;
            trouble.LastAt = now;
            trouble.LastProblem = problem;
            Store(id, trouble);
            if (started)
            {
                timeline.Record(incidentId, EntryKind.Delivery, StartedText(room, problem));
            }

            return started;
        }
    }

    /// <summary>A delivery to the room got through. The line that ends a stretch of trouble when there was one, else null.</summary>
    public string? Delivered(string incidentId, Room room)
    {
        lock (_gate)
        {
            var id = Id(incidentId, room.ChannelId);
            if (Load(id) is not { } trouble)
            {
                return null;
            }

            _known[id] = null;
            records.Delete(_collection, id);
            var text = RecoveredText(room, trouble);
            timeline.Record(incidentId, EntryKind.Delivery, text);
            return text;
        }
    }

    /// <summary>True while deliveries to the room are failing (so a warning about one more failure needn't be tried there).</summary>
    public bool IsFailing(string incidentId, string channelId)
    {
        lock (_gate)
        {
            return Load(Id(incidentId, channelId)) is not null;
        }
    }

    /// <summary>
    /// What a failed delivery to the room leads to, the same on every platform. A failure about the message itself
    /// (<paramref name="aboutTheMessage"/>: too long, malformed, its target gone) leaves the room's record alone and is
    /// said in the room (when <paramref name="sayAboutTheMessage"/>) unless the room is failing anyway; any other failure
    /// counts toward the room's stretch of trouble, and the one that starts it is said in the room with
    /// <paramref name="warnRoom"/>. <paramref name="said"/> is the platform's answer, <paramref name="problem"/> its line for the timeline.
    /// </summary>
    public Task FailedAsync(
        string incidentId, Room room, string problem, string said, bool aboutTheMessage, bool sayAboutTheMessage, Func<ChatMessage, Task> warnRoom)
    {
        counter?.Undelivered(incidentId, platform);
        if (aboutTheMessage)
        {
            return sayAboutTheMessage && !IsFailing(incidentId, room.ChannelId) ? warnRoom(ChatMessage.Warn($"{said}.")) : Task.CompletedTask;
        }

        return Failed(incidentId, room, problem)
            ? warnRoom(ChatMessage.Warn($"{said}. IncidentBot could not deliver a message here; the timeline keeps everything."))
            : Task.CompletedTask;
    }

    /// <summary>The room as a responder knows it: <c>#name (C123)</c>, or the id alone.</summary>
    public static string Name(Room room) =>
        room.ChannelName is { Length: > 0 } name && name != room.ChannelId ? $"#{name.TrimStart('#')} ({room.ChannelId})" : room.ChannelId;

    private string StartedText(Room room, string problem) =>
        $"{platformTitle} is not delivering IncidentBot's messages to {_describe(room)}: {Sentence(problem)} "
        + "Until it does again, what the bot says is only on this timeline; a line here will say how many messages the room missed.";

    private string RecoveredText(Room room, Trouble trouble)
    {
        var count = trouble.Count == 1 ? "1 message" : $"{trouble.Count.ToString("N0", CultureInfo.InvariantCulture)} messages";
        var last = trouble.LastProblem != trouble.FirstProblem ? $"; last: {Sentence(trouble.LastProblem).TrimEnd('.')}" : "";
        return $"{count} to {_describe(room)} could not be delivered between {At(trouble.Since, trouble.LastAt)} and {At(trouble.LastAt, trouble.Since)} "
            + $"({platformTitle}: {Sentence(trouble.FirstProblem).TrimEnd('.')}{last}). {platformTitle} delivers to the room again; the timeline has what it missed.";
    }

    /// <summary>A time of day, with the date when the stretch crosses midnight.</summary>
    private static string At(DateTimeOffset at, DateTimeOffset other) =>
        at.UtcDateTime.ToString(at.UtcDateTime.Date == other.UtcDateTime.Date ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string Sentence(string problem) => problem.EndsWith('.') ? problem : problem + ".";

    private Trouble? Load(string id)
    {
        if (_known.TryGetValue(id, out var known))
        {
            return known;
        }

        var trouble = records.Find(_collection, id) is { } json ? JsonSerializer.Deserialize<Trouble>(json) : null;
        _known[id] = trouble;
        return trouble;
    }

    private void Store(string id, Trouble trouble)
    {
        _known[id] = trouble;
        records.Save(_collection, id, JsonSerializer.Serialize(trouble));
    }

    private static string Id(string incidentId, string channelId) => incidentId + "|" + channelId;

    private sealed class Trouble
    {
        public string Incident { get; set; } = "";

        public string Channel { get; set; } = "";

        public DateTimeOffset Since { get; set; }

        public DateTimeOffset LastAt { get; set; }

        public int Count { get; set; }

        public string FirstProblem { get; set; } = "";

        public string LastProblem { get; set; } = "";
    }
}
