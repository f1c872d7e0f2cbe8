using System.Text.RegularExpressions;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// One chat platform's answer to "is this incident's room private there?". Registered by each adapter that can tell
/// (Slack: its channel visibility per category; the shell: the terminal is only the operator's). A platform that
/// registers none (Teams: a channel is seen by the whole team) counts as not private.
/// </summary>
public interface IRoomPrivacy
{
    string Platform { get; }

    bool IsPrivate(Incident incident);
}

/// <summary>
/// Whether an approval preview or result may show full email addresses in an incident's room: only when some platform
/// says its room is private, none says otherwise, and every room the incident has is on a platform that said so.
/// Otherwise addresses are masked (<c>a***@example.com</c>); the audit log always keeps them in full.
/// </summary>
public sealed partial class RoomPrivacy(IEnumerable<IRoomPrivacy> platforms)
{
    private readonly IReadOnlyList<IRoomPrivacy> _platforms = platforms.ToList();

    public bool ShowsFullEmails(Incident incident)
    {
        if (_platforms.Count == 0 || _platforms.Any(p => !p.IsPrivate(incident)))
        {
            return false;
        }

        return incident.Rooms.All(room => _platforms.Any(p => string.Equals(p.Platform, room.Platform, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary><c>alice@example.com</c> reads <c>a***@example.com</c>: enough to tell people apart, not to test an address.</summary>
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }

    /// <summary>Every email address in <paramref name="text"/> masked.</summary>
    public static string MaskAll(string text) => Emails().Replace(text, m => Mask(m.Value));

    [GeneratedRegex(@"[^\s<>()\[\],;:""'`]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Emails();
}
