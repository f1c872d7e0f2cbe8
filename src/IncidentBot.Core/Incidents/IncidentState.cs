namespace IncidentBot.Core.Incidents;

public enum IncidentState
{
    Declared,
    Investigating,
    Mitigating,
    Monitoring,
    Resolved,
    Closed,
    Cancelled,
}

public enum Severity
{
    Sev1 = 1,
    Sev2 = 2,
    Sev3 = 3,
}

public static class SeverityText
{
    public static string Format(Severity severity) => $"sev{(int)severity}";

    public static bool TryParse(string text, out Severity severity)
    {
        var digits = text.Trim().ToLowerInvariant() switch
        {
            "sev1" or "1" or "p1" => 1,
            "sev2" or "2" or "p2" => 2,
            "sev3" or "3" or "p3" => 3,
            _ => 0,
        };
        severity = (Severity)digits;
        return digits != 0;
    }
}
