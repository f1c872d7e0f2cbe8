using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Hosting.Operations;

/// <summary>
/// Counts each message a chat platform did not deliver to an incident's room
/// (<c>incidentbot_room_messages_undelivered_total{platform}</c>): alert on it, the timeline says which room and why.
/// A drill's are not counted.
/// </summary>
public sealed class RoomDeliveryMetrics(BotMetrics metrics, IIncidentStore store) : IRoomDeliveryCounter
{
    public void Undelivered(string incidentId, string platform)
    {
        if (store.Find(incidentId)?.Drill != true)
        {
            metrics.RoomMessagesUndelivered.WithLabels(platform).Inc();
        }
    }
}
