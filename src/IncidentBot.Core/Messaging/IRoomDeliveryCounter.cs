namespace IncidentBot.Core.Messaging;

/// <summary>
/// Told of every message a chat platform could not deliver to an incident's room, after the client's retries (the host
/// counts them for <c>/metrics</c>). Without a host that counts, nobody does (<see cref="UncountedDeliveries"/>).
/// </summary>
public interface IRoomDeliveryCounter
{
    void Undelivered(string incidentId, string platform);
}

/// <summary>The default <see cref="IRoomDeliveryCounter"/>: counts nothing.</summary>
public sealed class UncountedDeliveries : IRoomDeliveryCounter
{
    public void Undelivered(string incidentId, string platform)
    {
    }
}
