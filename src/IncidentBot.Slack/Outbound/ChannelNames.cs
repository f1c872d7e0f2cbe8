using System.Globalization;
using System.Text;
using IncidentBot.Core.Incidents;

namespace IncidentBot.Slack.Outbound;

/// <summary>Incident channel names: the configured pattern, made valid for Slack (lowercase letters, digits, - and _; at most 80).</summary>
public static class ChannelNames
{
    public const int MaxLength = 80;

    public static string For(string pattern, Incident incident)
    {
        var name = pattern
            .Replace("{date}", incident.DeclaredAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{number}", incident.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{id}", incident.Id, StringComparison.Ordinal)
            .Replace("{title}", incident.Title, StringComparison.Ordinal);
        return Clean(name, MaxLength);
    }

    /// <summary>The <paramref name="attempt"/>-th alternative when a name is taken: <c>name-2</c>, <c>name-3</c>, ...</summary>
    public static string Alternative(string name, int attempt)
    {
        var suffix = $"-{attempt}";
        return name[..Math.Min(name.Length, MaxLength - suffix.Length)].TrimEnd('-') + suffix;
    }

    public static string Clean(string text, int maxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // é -> e
            }

            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '-';
            if (keep == '-' && (builder.Length == 0 || builder[^1] == '-'))
            {
                continue;
            }

            builder.Append(keep);
        }

        var name = builder.ToString();
        name = name[..Math.Min(name.Length, maxLength)].Trim('-');
        return name.Length == 0 ? "incident" : name;
    }
}
