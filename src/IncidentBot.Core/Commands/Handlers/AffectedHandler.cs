using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class AffectedHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("affected", "affected [INC-n] <user ids or emails...>", "Record affected Clerk users (user_... ids or emails).");

    public IReadOnlyList<string> Problems(CommandRequest request)
    {
        var users = Users(request);
        var bad = users.Where(u => !IsUserReference(u)).ToList();
        return users.Count == 0 ? ["Name at least one user."]
            : bad.Count > 0 ? [$"Not a Clerk user id (user_...) or an email: {string.Join(", ", bad)}."]
            : [];
    }

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (Problems(request) is { Count: > 0 } problems)
        {
            return Task.FromResult(request.Usage(problems));
        }

        var users = Users(request);

        return Changes.ApplyAsync(incidents, request, EntryKind.Change, change =>
        {
            var incident = change.Incident;
            if (incident.RefuseIfFinished("affected users") is { } refused)
            {
                return refused;
            }

            var added = users.Where(u => !incident.AffectedUsers.Contains(u, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (added.Count == 0)
            {
                return Outcome.Refused($"{incident.Id} already lists {string.Join(", ", users)} as affected.");
            }

            incident.AffectedUsers.AddRange(added);
            return Outcome.Done($"{incident.Id} affected users: {incident.AffectedUsers.Count} ({added.Count} added: {string.Join(", ", added)}).");
        }, cancellationToken);
    }

    private static List<string> Users(CommandRequest request) =>
        request.Args.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(Unwrap).ToList();

    public static bool IsUserReference(string text) =>
        (text.StartsWith("user_", StringComparison.Ordinal) && text.Length > 5 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        || (text.IndexOf('@') is > 0 and var at && at < text.Length - 1 && text.IndexOf('.', at) > at && !text.Any(char.IsWhiteSpace));

    // Slack turns an email into <mailto:a@b.com|a@b.com>.
    private static string Unwrap(string text) =>
        text.StartsWith("<mailto:", StringComparison.Ordinal) && text.EndsWith('>') ? text[8..^1].Split('|')[0] : text;
}
