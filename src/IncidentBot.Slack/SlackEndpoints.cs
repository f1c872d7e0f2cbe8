using System.Text.Json.Nodes;
using IncidentBot.Slack.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack;

/// <summary>
/// Slack's HTTP surface: <c>POST /slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>.
/// Every request is verified before anything else; answers go out at once, slow work is queued.
/// </summary>
public static class SlackEndpoints
{
    /// <summary>Maps the Slack endpoints when Slack is on (see <see cref="SlackServices.AddSlack"/>); otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SlackDispatcher>() is null)
        {
            return app;
        }

        var slack = app.MapGroup("/slack");
        slack.MapPost("/commands", (HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher) =>
            HandleAsync(http, reader, dispatcher, body => SlackRequestReader.Form(http.Request, body) is { } form
                ? new SlackInbound(SlackInbound.SlashCommands, form)
                : null));
        slack.MapPost("/interactions", (HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher) =>
            HandleAsync(http, reader, dispatcher, body => SlackRequestReader.Json((string?)SlackRequestReader.Form(http.Request, body)?["payload"]) is { } payload
                ? new SlackInbound(SlackInbound.Interactive, payload)
                : null));
        slack.MapPost("/events", EventsAsync);
        return app;
    }

    private static async Task<IResult> EventsAsync(HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher)
    {
        var body = await reader.ReadVerifiedAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return Results.Unauthorized();
        }

        var json = SlackRequestReader.Json(body);
        switch ((string?)json?["type"])
        {
            case "url_verification":
                return Results.Json(new { challenge = (string?)json!["challenge"] });
            case "event_callback":
                await dispatcher.DispatchAsync(new SlackInbound(SlackInbound.EventsApi, json!, SlackRequestReader.RetryNum(http.Request)), http.RequestAborted);
                return Results.Ok();
            case null:
                return Results.BadRequest();
            default:
                return Results.Ok(); // app_rate_limited and the like: nothing to do
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher, Func<byte[], SlackInbound?> parse)
    {
        var body = await reader.ReadVerifiedAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return Results.Unauthorized();
        }

        if (SlackRequestReader.Form(http.Request, body)?["ssl_check"] is not null)
        {
            return Results.Ok();
        }

        var inbound = parse(body);
        if (inbound is null)
        {
            return Results.BadRequest();
        }

        var ack = await dispatcher.DispatchAsync(inbound, http.RequestAborted);
        return ack is null ? Results.Ok() : Results.Content(ack.ToJsonString(), "application/json");
    }
}
