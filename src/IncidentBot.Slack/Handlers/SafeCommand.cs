using IncidentBot.Core.Commands;
using IncidentBot.Core.Messaging;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Slack.Handlers;

/// <summary>
/// Runs a command for a handler and never throws: a failure is logged and comes back as a refusal the person can
/// read, since the handler has usually acknowledged Slack already and nobody else would hear of it.
/// </summary>
public static class SafeCommand
{
    public static async Task<CommandResult> RunAsync(Func<Task<CommandResult>> run, ILogger log, string what)
    {
        try
        {
            return await run();
        }
        catch (Exception e)
        {
            log.LogError(e, "{What} failed", what);
            return new CommandResult(Reply.Refused($"That failed: {e.Message}. The log has the details."), null);
        }
    }
}
