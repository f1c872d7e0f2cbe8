using IncidentBot.Sandbox;
using Microsoft.Extensions.Options;

namespace IncidentBot.Drill;

/// <summary>Each drill category's fault, injected into the sandbox before the incident is declared (so its first check sees it).</summary>
public sealed class DrillInjector(ClerkSandbox sandbox, IOptions<DrillOptions> options)
{
    public static readonly IReadOnlyList<string> Categories = ["auth-outage", "performance", "webhook-failure", "security"];

    /// <summary>Injects the fault and says what it did, for the timeline.</summary>
    public string Inject(string category)
    {
        var o = options.Value;
        switch (category)
        {
            case "auth-outage":
                sandbox.Faults.StartAuthOutage(TimeSpan.FromMinutes(o.OutageMinutes));
                return $"Injected: Clerk's status page shows a major outage and the Backend API answers 503; the app's health fails unless the emergency bypass is on. Clerk recovers by itself {o.OutageMinutes:0.#} minutes from now.";
            case "performance":
                sandbox.Faults.SlowDown(TimeSpan.FromMilliseconds(o.SlowMilliseconds), TimeSpan.FromMinutes(30));
                return $"Injected: every Backend API answer and the app's health take {o.SlowMilliseconds} ms longer for 30 minutes; the status page shows degraded performance.";
            case "webhook-failure":
            {
                var changed = sandbox.Faults.FailWebhooks();
                return $"Injected: the app's Clerk webhook receiver answers 500, and {changed.Count} users changed in Clerk meanwhile ({string.Join(", ", changed)}), so the app's user table has drifted. Resuming webhook processing deploys the receiver's fix; the missed changes need a resync.";
            }

            case "security":
            {
                var victims = sandbox.Faults.PlantSuspiciousSessions(o.SuspiciousUsers);
                var who = victims.Select(id => $"{id} ({sandbox.User(id)!.PrimaryEmail})");
                return $"Injected: two active sessions from an anonymising proxy (100.64.13.x, curl) on each of {victims.Count} users: {string.Join(", ", who)}.";
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(category), category, "not a drill category");
        }
    }
}
