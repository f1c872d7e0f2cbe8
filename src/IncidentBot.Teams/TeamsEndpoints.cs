using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Auth;
using IncidentBot.Teams.Bridge;
using IncidentBot.Teams.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Teams;

/// <summary>
/// Teams' HTTP surface: <c>POST /api/messages</c>. The Bot Connector's token is checked before anything else (then the
/// activity's channel and service URL against it); anything wrong is 401, logged with the reason and never the token.
/// </summary>
public static class TeamsEndpoints
{
    private const int MaxBody = 256 * 1024;

    /// <summary>Maps /api/messages when Teams is on (see <see cref="TeamsServices.AddTeams"/>); otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<TeamsBridge>() is null)
        {
            return app;
        }

        app.MapPost("/api/messages", MessagesAsync);
        return app;
    }

    private static async Task<IResult> MessagesAsync(
        HttpContext http, ConnectorTokenValidator validator, ConversationReferences references, TeamsBridge bridge, ILoggerFactory logs)
    {
        var log = logs.CreateLogger("IncidentBot.Teams.Inbound");
        ConnectorIdentity identity;
        try
        {
            identity = await validator.ValidateAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, http.RequestAborted);
        }
        catch (ConnectorAuthException e)
        {
            log.LogWarning("Refused a request to /api/messages from {Remote}: {Reason}", http.Connection.RemoteIpAddress, e.Message);
            return Results.Unauthorized();
        }

        var body = await ReadAsync(http.Request, http.RequestAborted);
        var activity = body is null ? null : TeamsActivity.Parse(body);
        try
        {
            ConnectorTokenValidator.Check(identity, activity?.ChannelId, activity?.ServiceUrl);
        }
        catch (ConnectorAuthException e)
        {
            log.LogWarning("Refused a request to /api/messages from {Remote}: {Reason}", http.Connection.RemoteIpAddress, e.Message);
            return Results.Unauthorized();
        }

        if (activity!.Type.Length == 0)
        {
            return Results.BadRequest();
        }

        references.Record(activity);
        var answer = await bridge.HandleAsync(activity, http.RequestAborted);
        return answer.Body is { } json
            ? Results.Content(json.ToJsonString(), "application/json", statusCode: answer.Status)
            : Results.StatusCode(answer.Status);
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
