using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Checks;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Commands;

/// <summary>
/// <c>webhooks</c>: a fresh sign-in link to Clerk's webhook dashboard (Svix), from POST /webhooks/svix_url. The link logs
/// whoever holds it into the dashboard, so it goes only into the reply to the person who asked (ephemeral in Slack, the
/// terminal in the shell): never into the room, the timeline, the audit log or the logs. Those get that a link was given, and to whom.
/// </summary>
public sealed class WebhookDashboardHandler(IClerkClient clerk, ClerkAudit audit, IncidentService incidents, IOptions<ClerkOptions> options) : ICommandHandler
{
    public const string Action = "clerk.webhook-dashboard";

    public CommandSpec Spec { get; } = new("webhooks", "webhooks [INC-n]",
        "Send you, and only you, a sign-in link to Clerk's webhook dashboard (Svix): the endpoint's Message Attempts, replay, recover since a time.");

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured)
        {
            return Reply.Refused($"{ClerkChecks.NotConfigured} Open Webhooks in the Clerk dashboard instead.");
        }

        SvixDashboardUrl link;
        try
        {
            link = await audit.Recording(clerk, request.Incident, Action, null).CreateWebhookDashboardUrlAsync(cancellationToken);
        }
        catch (Exception e) when (e is ClerkApiException or ClerkUnavailableException)
        {
            return Reply.Refused($"Could not get a webhook dashboard link: {ClerkErrors.Explain(e)} Open Webhooks in the Clerk dashboard instead.");
        }

        var who = request.Actor.Name;
        audit.Write(request.Incident, "link", Action, null, $"webhook dashboard sign-in link given to {who} only (the link is not kept)");
        await incidents.ChangeAsync(request.Incident, request.Actor, change =>
        {
            change.Record(EntryKind.Action, $"{who} got a webhook dashboard sign-in link, sent to them only.");
            return Outcome.Done("recorded");
        }, cancellationToken);

        return new Reply(new ChatMessage
        {
            Header = "Webhook dashboard (Svix): for you only",
            Text = string.Join('\n',
                link.SvixUrl,
                "Whoever opens this link is signed into the webhook dashboard: don't paste it anywhere.",
                "Open the app's endpoint, then Message Attempts: failed deliveries are listed there, with when they failed.",
                "Replay one message from its attempt, or from the endpoint recover all failed (or all missing) messages since a time."),
        });
    }
}
