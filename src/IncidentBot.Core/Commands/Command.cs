using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;

namespace IncidentBot.Core.Commands;

/// <summary>A subcommand's name, how it is written and what it does; the parser and help read these.</summary>
/// <param name="NeedsIncident">Whether it acts on one incident (named, or the one of the current channel).</param>
public sealed record CommandSpec(string Name, string Usage, string Summary, bool NeedsIncident = true)
{
    public string UsageLine => $"`/incident {Usage}`: {Summary}";

    /// <summary>Several problems with one command line, as one answer that names them all.</summary>
    public string Problems(IReadOnlyList<string> problems) =>
        $"{problems.Count} problems with `/incident {Name}`:\n" + string.Join('\n', problems.Select(p => "- " + p));
}

/// <summary>Where a command came from: who typed it, on which platform and channel, and which incident is meant by default.</summary>
/// <param name="DefaultIncidentId">The incident meant when none is named, before the channel's own (a button's incident, the shell's most recent).</param>
/// <param name="Guard">Set for a button press: what must still hold when the command runs (see <see cref="Messaging.ButtonAction"/>).</param>
public sealed record CommandContext(Actor Actor, string Platform, string ChannelId, string? DefaultIncidentId = null, string? Guard = null)
{
    /// <summary>The platform's private answer address for this command (Slack's response_url), if any.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Where the command came from, as the value that travels with its changes and publications.</summary>
    public Origin Origin => new(Platform, ChannelId, Actor.PlatformId ?? Actor.Name, ReplyTo);
}

/// <summary>A parsed command: its spec, the incident it names (if any), and its arguments.</summary>
/// <param name="Text">Everything after the subcommand and the incident id, as typed.</param>
public sealed record CommandRequest(CommandContext Context, CommandSpec Spec, string? IncidentId, IReadOnlyList<string> Args, string Text)
{
    public Actor Actor => Context.Actor;

    /// <summary>The incident id, resolved by the router for commands that need one.</summary>
    public string Incident => IncidentId ?? throw new InvalidOperationException($"{Spec.Name} was routed without an incident");

    public Reply Usage(string problem) => Reply.Refused($"{problem}\nUsage: {Spec.UsageLine}");

    /// <summary>Every problem at once: one is said as it is, several as a list, then the usage.</summary>
    public Reply Usage(IReadOnlyList<string> problems) =>
        problems.Count == 1 ? Usage(problems[0]) : Reply.Refused($"{Spec.Problems(problems)}\nUsage: {Spec.UsageLine}");

    /// <summary>The incident id as the answer should write it: the one named, or a placeholder.</summary>
    public string IncidentOrPlaceholder => IncidentId ?? "INC-n";
}

/// <summary>One handler per subcommand.</summary>
public interface ICommandHandler
{
    CommandSpec Spec { get; }

    /// <summary>
    /// Everything wrong with the arguments, each as a sentence, found before anything runs and without the incident
    /// (<see cref="CommandRequest.IncidentId"/> may be null or unknown). The router says these together with any
    /// problem in the command line itself, so a command with several mistakes is answered once, naming them all.
    /// </summary>
    IReadOnlyList<string> Problems(CommandRequest request) => [];

    Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken);
}

/// <summary>What the router answered, and which incident the command was about (the shell remembers it).</summary>
public sealed record CommandResult(Reply Reply, string? IncidentId);
