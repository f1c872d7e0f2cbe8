using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Inbound;

namespace IncidentBot.Slack.SocketMode;

/// <summary>What a Socket Mode envelope asks for, read without trusting its types: <see cref="Inbound"/> is null when it can't be handled.</summary>
internal sealed record Envelope(SlackInbound? Inbound, bool AcceptsResponsePayload)
{
    /// <summary>Reads an envelope; <paramref name="problem"/> says what was wrong with it (null when nothing was).</summary>
    public static Envelope Read(JsonObject json, string? type, string? typeProblem, out string? problem)
    {
        problem = typeProblem;
        var accepts = false;
        switch (json["accepts_response_payload"])
        {
            case null:
                break;
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                accepts = value.GetValue<bool>();
                break;
            case var other:
                problem ??= $"accepts_response_payload must be true or false, not {SlackShape.Name(other.GetValueKind())}";
                break;
        }

        var retry = json["retry_attempt"] is JsonValue r && r.TryGetValue<int>(out var n) && n >= 0 ? n : 0;
        if (problem is not null)
        {
            return new Envelope(null, accepts);
        }

        if (type is not (SlackInbound.SlashCommands or SlackInbound.Interactive or SlackInbound.EventsApi))
        {
            problem = type is null ? "no type" : $"unknown type {type}";
            return new Envelope(null, accepts);
        }

        if (json["payload"] is not JsonObject payload)
        {
            problem = "payload must be an object";
            return new Envelope(null, accepts);
        }

        var inbound = new SlackInbound(type, payload, retry);
        problem = SlackShape.Problem(inbound);
        return new Envelope(problem is null ? inbound : null, accepts);
    }
}
