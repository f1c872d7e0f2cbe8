using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

public sealed class AffectedHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("affected", "affected [INC-n] <user ids or emails...>", "Record affected Clerk users (user_... ids or emails).");

    public Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var users = request.Args.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Unwrap)
            .ToList();
        if (users.Count == 0)
        {
            return Task.FromResult(request.Usage("Name at least one user."));
        }

        var bad = users.Where(u => !IsUserReference(u)).ToList();
        if (bad.Count > 0)
        {
            return Task.FromResult(request.Usage($"Not a Clerk user id (user_...) or an email: {string.Join(", ", bad)}."));
        }

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

    public static bool IsUserReference(string text) =>
        (text.StartsWith("user_", StringComparison.Ordinal) && text.Length > 5 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        || (text.IndexOf('@') is > 0 and var at && at < text.Length - 1 && text.IndexOf('.', at) > at && !text.Any(char.IsWhiteSpace));

    // Slack turns an email into <mailto:a@b.com|a@b.com>.
    private static string Unwrap(string text) =>
        text.StartsWith("<mailto:", StringComparison.Ordinal) && text.EndsWith('>') ? text[8..^1].Split('|')[0] : text;
}
