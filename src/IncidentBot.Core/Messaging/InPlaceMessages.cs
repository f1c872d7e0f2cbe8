using System.Text.Json;

namespace IncidentBot.Core.Messaging;

/// <summary>
/// The platform's id of each in-place message (<see cref="ChatMessage.UpdateKey"/>: a running action's progress), by
/// incident and key, kept in the storage file (<see cref="IPlatformRecords"/>, collection <c>&lt;platform&gt;_in_place</c>).
/// A bot restarted on the same file edits the same message (a resumed resync's progress) instead of posting a second
/// one and leaving the first frozen at its last figure.
/// </summary>
public sealed class InPlaceMessages(IPlatformRecords records, string platform)
{
    private readonly string _collection = platform + "_in_place";

    /// <summary>The id of the message posted for <paramref name="key"/> in <paramref name="channelId"/>; null when none was (or it was in another room).</summary>
    public string? Find(string incidentId, string key, string channelId) =>
        records.Find(_collection, Id(incidentId, key)) is { } json
        && JsonSerializer.Deserialize<InPlaceRecord>(json) is { } record
        && record.Channel == channelId
        && record.MessageId.Length > 0
            ? record.MessageId
            : null;

    /// <summary>Remembers the message just posted for <paramref name="key"/>, replacing any earlier one.</summary>
    public void Remember(string incidentId, string key, string channelId, string messageId, DateTimeOffset postedAt) =>
        records.Save(_collection, Id(incidentId, key), JsonSerializer.Serialize(new InPlaceRecord
        {
            Incident = incidentId,
            Key = key,
            Channel = channelId,
            MessageId = messageId,
            PostedAt = postedAt,
        }));

    private static string Id(string incidentId, string key) => incidentId + "|" + key;

    private sealed class InPlaceRecord
    {
        public string Incident { get; set; } = "";

        public string Key { get; set; } = "";

        public string Channel { get; set; } = "";

        public string MessageId { get; set; } = "";

        public DateTimeOffset PostedAt { get; set; }
    }
}
