using System.Text.RegularExpressions;

namespace IncidentBot.Core.Commands;

public abstract record ParseResult;

/// <param name="Problems">What is wrong with the line itself (a malformed incident id); the handler adds the rest.</param>
public sealed record Parsed(CommandSpec Spec, string? IncidentId, IReadOnlyList<string> Args, string Text) : ParseResult
{
    public IReadOnlyList<string> Problems { get; init; } = [];
}

public sealed record ParseFailed(string Message) : ParseResult;

/// <summary>
/// Reads <c>/incident &lt;subcommand&gt; [INC-n] [arguments]</c>. An unknown subcommand answers with the usage
/// of the nearest known one. A malformed incident id (<c>INC-x</c>) is a problem of the line, reported with whatever
/// the handler finds wrong in the arguments after it.
/// </summary>
public sealed partial class CommandParser(IEnumerable<CommandSpec> specs)
{
    private readonly IReadOnlyList<CommandSpec> _specs = specs.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<CommandSpec> Specs => _specs;

    public ParseResult Parse(string line)
    {
        var text = line.Trim();
        if (text.StartsWith("/incident", StringComparison.OrdinalIgnoreCase))
        {
            text = text["/incident".Length..].TrimStart();
        }

        if (text.Length == 0)
        {
            return new ParseFailed($"Say what to do: {Find("help")?.UsageLine ?? "/incident help"}");
        }

        var (name, rest) = SplitFirst(text);
        var spec = Find(name);
        if (spec is null)
        {
            var nearest = Nearest(name);
            return new ParseFailed(nearest is null
                ? $"Unknown command '{name}'. `/incident help` lists them all."
                : $"Unknown command '{name}'. Did you mean {nearest.UsageLine}");
        }

        string? incidentId = null;
        var problems = new List<string>();
        var (first, afterFirst) = SplitFirst(rest);
        if (IncidentIdPattern().IsMatch(first))
        {
            incidentId = first.ToUpperInvariant();
            rest = afterFirst;
        }
        else if (MalformedIdPattern().IsMatch(first))
        {
            problems.Add($"'{first}' is not an incident id: write INC- and its number, e.g. INC-3.");
            rest = afterFirst;
        }

        var args = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Parsed(spec, incidentId, args, rest) { Problems = problems };
    }

    public CommandSpec? Find(string name) =>
        _specs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static bool IsIncidentId(string text) => IncidentIdPattern().IsMatch(text);

    private CommandSpec? Nearest(string name)
    {
        var lower = name.ToLowerInvariant();
        var best = _specs
            .Select(s => (Spec: s, Distance: Distance(lower, s.Name)))
            .OrderBy(x => x.Distance)
            .First();
        var prefix = _specs.FirstOrDefault(s => s.Name.StartsWith(lower, StringComparison.Ordinal) || lower.StartsWith(s.Name, StringComparison.Ordinal));
        return prefix ?? (best.Distance <= Math.Max(2, lower.Length / 2) ? best.Spec : null);
    }

    private static (string Head, string Tail) SplitFirst(string text)
    {
        var trimmed = text.TrimStart();
        var space = trimmed.IndexOfAny([' ', '\t']);
        return space < 0 ? (trimmed, "") : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    [GeneratedRegex("^INC-[0-9]+$", RegexOptions.IgnoreCase)]
    private static partial Regex IncidentIdPattern();

    // Letters and digits only after "INC-", so a note starting "INC-2's fix ..." is still a note.
    [GeneratedRegex("^INC-[A-Z0-9]*$", RegexOptions.IgnoreCase)]
    private static partial Regex MalformedIdPattern();
}
