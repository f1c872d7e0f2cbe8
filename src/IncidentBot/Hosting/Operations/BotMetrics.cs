using IncidentBot.Core;
using IncidentBot.Core.Incidents;
using Prometheus;

namespace IncidentBot.Hosting.Operations;

/// <summary>
/// Every metric the bot exports, in one place, on one registry per host (served at <c>/metrics</c>). Names follow
/// Prometheus conventions: <c>incidentbot_</c>, base units (seconds), <c>_total</c> for counters. Drill incidents
/// (<see cref="Incident.Drill"/>) are practice: they move none of the incident, page or action metrics.
/// </summary>
public sealed class BotMetrics
{
    private static readonly double[] IncidentSeconds = [60, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

    public BotMetrics(IIncidentStore store)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        OpenIncidents = factory.CreateGauge("incidentbot_open_incidents", "Incidents not yet resolved, closed or cancelled, by severity.", "severity");
        TimeToAcknowledge = factory.CreateHistogram("incidentbot_time_to_acknowledge_seconds", "From declaration to the first acknowledgement.", new HistogramConfiguration { LabelNames = ["severity"], Buckets = IncidentSeconds });
        TimeToResolve = factory.CreateHistogram("incidentbot_time_to_resolve_seconds", "From declaration to resolution.", new HistogramConfiguration { LabelNames = ["severity"], Buckets = IncidentSeconds });
        Transitions = factory.CreateCounter("incidentbot_transitions_total", "Incident state changes, by the state entered.", "state");
        Pages = factory.CreateCounter(
            "incidentbot_pages_total",
            "Escalation pages (direct messages to the people paged), by outcome: sent (handed to the chat platforms), failed (a platform could not deliver it).",
            "outcome");
        Pages.WithLabels(PageSent);
        Pages.WithLabels(PageFailed);
        RoomMessagesUndelivered = factory.CreateCounter(
            "incidentbot_room_messages_undelivered_total",
            "Messages to an incident's room that the chat platform did not deliver after the client's retries, by platform (the timeline names the room and why).",
            "platform");
        RoomMessagesUndelivered.WithLabels("slack");
        RoomMessagesUndelivered.WithLabels("teams");
        Actions = factory.CreateCounter("incidentbot_actions_total", "Approval-gated actions by action and audit event (requested, approved, denied, expired, request, result).", "action", "event");
        ClerkRequests = factory.CreateHistogram("incidentbot_clerk_request_seconds", "Clerk Backend API attempts (each retry counts), by HTTP method and status.", new HistogramConfiguration { LabelNames = ["method", "status"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 12) });
        ClerkRateLimited = factory.CreateCounter("incidentbot_clerk_rate_limited_total", "Clerk answers with HTTP 429.");
        SlackAck = factory.CreateHistogram("incidentbot_slack_ack_seconds", "From a Slack HTTP request's arrival to the response (Slack wants it within 3 s), by endpoint.", new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3, 5] });

        // Open incidents are counted from the store at scrape time: exact after restarts, nothing to keep in step.
        Registry.AddBeforeCollectCallback(() =>
        {
            var open = store.List(openOnly: true).Where(i => !i.Drill).ToList();
            foreach (var severity in Enum.GetValues<Severity>())
            {
                OpenIncidents.WithLabels(SeverityText.Format(severity)).Set(open.Count(i => i.Severity == severity));
            }
        });
        DotNetStats.Register(Registry);
    }

    public const string PageSent = "sent";

    public const string PageFailed = "failed";

    public CollectorRegistry Registry { get; }

    public Gauge OpenIncidents { get; }

    public Histogram TimeToAcknowledge { get; }

    public Histogram TimeToResolve { get; }

    public Counter Transitions { get; }

    public Counter Pages { get; }

    public Counter Actions { get; }

    public Counter RoomMessagesUndelivered { get; }

    public Histogram ClerkRequests { get; }

    public Counter ClerkRateLimited { get; }

    public Histogram SlackAck { get; }
}
