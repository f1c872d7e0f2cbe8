using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.Sandbox;

/// <summary>Clerk's status page as an Atlassian Statuspage summary.json, the first format StatusPageReader tries.</summary>
public sealed partial class ClerkSandbox
{
    private async Task StatusPageAsync(HttpContext context, string path)
    {
        if (path == "/status/feed.rss" && StatusRss is { } rss)
        {
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(rss);
            return;
        }

        if (path == "/status/api/v2/summary.json" && StatusJson is { } json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
            return;
        }

        if (path != "/status/api/v2/summary.json" || StatusJsonFails is not null)
        {
            context.Response.StatusCode = StatusJsonFails ?? 404;
            return;
        }

        var outage = Faults.AuthOutageActive;
        var slow = Faults.SlowBy is not null;
        var (indicator, description) = outage ? ("major", "Partial System Outage") : slow ? ("minor", "Minor Service Outage") : ("none", "All Systems Operational");
        var incidents = new JsonArray();
        if (outage)
        {
            incidents.Add(new JsonObject { ["name"] = "Elevated errors on the Backend API and sign-in (drill)", ["status"] = "investigating", ["impact"] = "major" });
        }
        else if (slow)
        {
            incidents.Add(new JsonObject { ["name"] = "Increased latency on the Backend API (drill)", ["status"] = "identified", ["impact"] = "minor" });
        }

        await JsonAsync(context, new JsonObject
        {
            ["page"] = new JsonObject { ["id"] = "drill", ["name"] = "Clerk (sandbox)", ["url"] = StatusUrl, ["updated_at"] = Time.GetUtcNow().ToString("O") },
            ["status"] = new JsonObject { ["indicator"] = indicator, ["description"] = description },
            ["components"] = new JsonArray(
                new JsonObject { ["name"] = "Backend API", ["status"] = outage ? "major_outage" : slow ? "degraded_performance" : "operational" },
                new JsonObject { ["name"] = "Sign-in", ["status"] = outage ? "major_outage" : "operational" },
                new JsonObject { ["name"] = "Dashboard", ["status"] = "operational" }),
            ["incidents"] = incidents,
        });
    }
}
