using IncidentBot.Core;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Shell;

/// <summary>The terminal as a chat platform: every incident lives in the one terminal channel.</summary>
public sealed class ShellSurface(ShellTerminal terminal) : IChatSurface
{
    public const string PlatformName = "shell";
    public const string Channel = "terminal";

    public string Platform => PlatformName;

    public Task PublishAsync(Publication publication, CancellationToken cancellationToken)
    {
        if (publication.Declared)
        {
            terminal.Print(publication.Card);
        }

        foreach (var post in publication.Posts)
        {
            terminal.Print(post);
        }

        foreach (var direct in publication.Directs)
        {
            terminal.Print(direct.Message, direct.PersonName);
        }

        return Task.CompletedTask;
    }
}
