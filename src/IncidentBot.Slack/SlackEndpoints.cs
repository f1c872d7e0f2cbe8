using System.Text.Json.Nodes;
using IncidentBot.Slack.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Slack;

/// <summary>
/// Slack's HTTP surface: <c>POST /slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>.
/// Every request is verified before anything else (headers before the body, the body no bigger than the endpoint's
/// limit, <see cref="SlackBodyLimits"/>); answers go out at once, slow work is queued.
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
            HandleAsync(http, reader, dispatcher, SlackBodyLimits.Commands, form => new SlackInbound(SlackInbound.SlashCommands, form)));
        slack.MapPost("/interactions", (HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher) =>
            HandleAsync(http, reader, dispatcher, SlackBodyLimits.Interactions, form => SlackRequestReader.Json((string?)form["payload"]) is { } payload
                ? new SlackInbound(SlackInbound.Interactive, payload)
                : null));
        slack.MapPost("/events", EventsAsync);
        return app;
    }

    private static async Task<IResult> EventsAsync(HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher)
    {
        var body = await reader.ReadVerifiedAsync(http.Request, SlackBodyLimits.Events, http.RequestAborted);
        if (body.Bytes is null)
        {
            return Results.Text(body.Problem, statusCode: body.Status);
        }

        var json = SlackRequestReader.Json(body.Bytes);
        if (json is null)
        {
            return Results.Text("The body is not a JSON object.", statusCode: StatusCodes.Status400BadRequest);
        }

        switch (SlackShape.Str(json, "type", out var problem))
        {
            case "url_verification":
                return SlackShape.Str(json, "challenge", out problem) is { } challenge
                    ? Results.Json(new { challenge })
                    : Results.Text(problem ?? "url_verification without a challenge.", statusCode: StatusCodes.Status400BadRequest);
            case "event_callback":
                var inbound = new SlackInbound(SlackInbound.EventsApi, json, SlackRequestReader.RetryNum(http.Request));
                if (SlackShape.Problem(inbound) is { } shape)
                {
                    return Results.Text(shape, statusCode: StatusCodes.Status400BadRequest);
                }

                await dispatcher.DispatchAsync(inbound, http.RequestAborted);
                return Results.Ok();
            case null:
                return Results.Text(problem ?? "The event has no type.", statusCode: StatusCodes.Status400BadRequest);
            default:
                return Results.Ok(); // app_rate_limited and the like: nothing to do
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SlackRequestReader reader, SlackDispatcher dispatcher, int maxBytes, Func<JsonObject, SlackInbound?> parse)
    {
        var body = await reader.ReadVerifiedAsync(http.Request, maxBytes, http.RequestAborted);
        if (body.Bytes is null)
        {
            return Results.Text(body.Problem, statusCode: body.Status);
        }

        // Parsed once: Slack's ssl_check is a form too, answered before anything else.
        var form = SlackRequestReader.Form(http.Request, body.Bytes);
        if (form?["ssl_check"] is not null)
        {
            return Results.Ok();
        }

        var inbound = form is null ? null : parse(form);
        if (inbound is null)
        {
            return Results.Text("The body is not what Slack sends here (a urlencoded form; for interactions, with a JSON object in its payload field).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (SlackShape.Problem(inbound) is { } shape)
        {
            return Results.Text(shape, statusCode: StatusCodes.Status400BadRequest);
        }

        var ack = await dispatcher.DispatchAsync(inbound, http.RequestAborted);
        return ack is null ? Results.Ok() : Results.Bytes(ack.Utf8Json, "application/json");
    }
}
