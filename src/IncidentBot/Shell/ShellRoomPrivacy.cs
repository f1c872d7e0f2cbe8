using IncidentBot.Core.Approvals;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Shell;

/// <summary>The terminal is seen only by whoever sits at it: an approval preview there shows full addresses.</summary>
internal sealed class ShellRoomPrivacy : IRoomPrivacy
{
    public string Platform => ShellSurface.PlatformName;

    public bool IsPrivate(Incident incident) => true;
}
