using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Options;

namespace IncidentBot.Shell;

/// <summary>
/// Reads the terminal line by line: <c>/incident ...</c> is a command, <c>/as &lt;name&gt;</c> changes who is typing,
/// <c>/click &lt;n&gt;</c> presses a button (without changing which incident is current), <c>exit</c> or <c>quit</c> ends the
/// program, anything else is a channel message for the current incident's timeline. The prompt names the current incident
/// (<c>alice@INC-3&gt;</c>). End of input, exit, quit and Ctrl-C (the host's stop) all stop the host (exit code 0).
/// </summary>
public sealed class ShellRunner(
    ShellIO io,
    ShellTerminal terminal,
    CommandRouter router,
    IncidentService incidents,
    IOptions<RosterOptions> roster,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    BackgroundWork background,
    ILogger<ShellRunner> log) : BackgroundService
{
    private Person _speaker = roster.Value.People[0];
    private string? _current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the scheduler begin) before the first line is read.
        await Task.Yield();
        terminal.Say($"IncidentBot shell. You are {_speaker.Name} ({_speaker.Role}). Type /incident help, /as <name>, /click <n>; exit, quit, Ctrl-C or end of input quits.");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!io.EchoInput)
                {
                    io.Output.Write($"{Prompt}> ");
                    io.Output.Flush();
                }

                // Console.In reads synchronously and ignores the token: reading on the pool and waiting with the token lets a stop
                // (Ctrl-C, via the host's console lifetime) end the shell at once; the abandoned read dies with the process.
                var line = await Task.Run(() => io.Input.ReadLineAsync(stoppingToken).AsTask(), stoppingToken).WaitAsync(stoppingToken);
                if (line is null)
                {
                    break;
                }

                line = line.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (io.EchoInput)
                {
                    terminal.Say($"{Prompt}> {line}");
                }

                if (line.Equals("exit", StringComparison.OrdinalIgnoreCase) || line.Equals("quit", StringComparison.OrdinalIgnoreCase))
                {
                    terminal.Say("Bye.");
                    break;
                }

                try
                {
                    await HandleLineAsync(line, stoppingToken);
                    // Checks and approval requests a step started run in the background: show them before the next line.
                    await background.IdleAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Shell line failed");
                    terminal.Print(ChatMessage.Warn($"That failed: {e.Message}. Nothing else was changed; the log has the details."));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        if (line.StartsWith("/as", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || line[3] == ' '))
        {
            if (configuration["Clerk:SecretKey"]?.StartsWith("sk_live_", StringComparison.Ordinal) == true)
            {
                // With production Clerk behind it, one person at a terminal could request as alice and approve as bob.
                terminal.Print(ChatMessage.Warn("/as is off while Clerk:SecretKey is a live key: at a terminal anyone could approve as anyone. Approve real actions in Slack, or use an sk_test_ key for drills."));
                return;
            }

            var name = line[3..].Trim();
            var person = name.Length == 0 ? null : roster.Value.Find(name);
            if (person is null)
            {
                terminal.Print(ChatMessage.Warn($"Nobody called '{name}' in the roster: {string.Join(", ", roster.Value.People.Select(p => $"{p.Name} ({p.Role})"))}."));
                return;
            }

            _speaker = person;
            terminal.Say($"You are now {person.Name} ({person.Role}).");
            return;
        }

        if (line.StartsWith("/click", StringComparison.OrdinalIgnoreCase))
        {
            var action = int.TryParse(line[6..].Trim(), out var number) ? terminal.Button(number) : null;
            if (action is null)
            {
                terminal.Print(ChatMessage.Warn($"There is no button '{line[6..].Trim()}': use /click <n> with a number shown as [n]."));
                return;
            }

            // A click acts on the button's own incident, but never changes which incident the next line is about.
            Show(await router.PressAsync(Context(), action, cancellationToken), changesCurrent: false);
            return;
        }

        if (line.StartsWith("/incident", StringComparison.OrdinalIgnoreCase))
        {
            Show(await router.HandleAsync(Context(), line, cancellationToken));
            return;
        }

        if (line.StartsWith('/'))
        {
            terminal.Print(ChatMessage.Warn($"Unknown shell command '{line.Split(' ')[0]}': use /incident, /as <name> or /click <n>."));
            return;
        }

        if (_current is null)
        {
            terminal.Print(ChatMessage.Warn("No incident yet, so this message is not recorded. Declare one with /incident declare."));
            return;
        }

        await incidents.RecordChannelMessageAsync(
            _current, _speaker.Name, line, incidents.Time.GetUtcNow(), $"{ShellSurface.PlatformName}:{Guid.NewGuid():N}", cancellationToken);
        terminal.Say($"bot: noted on {_current}.");
    }

    private string Prompt => _current is null ? _speaker.Name : $"{_speaker.Name}@{_current}";

    private CommandContext Context() =>
        new(new Actor(_speaker.Name, _speaker.Name), ShellSurface.PlatformName, ShellSurface.Channel, _current);

    private void Show(CommandResult result, bool changesCurrent = true)
    {
        if (changesCurrent && result.IncidentId is not null)
        {
            _current = result.IncidentId;
        }

        if (!result.Reply.IsEmpty)
        {
            terminal.Print(result.Reply.Message);
        }
    }
}
