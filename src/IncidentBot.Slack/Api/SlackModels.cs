using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IncidentBot.Slack.Api;

// The Web API's answers, only the fields the bot reads. Names map snake_case (see SlackJson).

public record SlackResponse
{
    public bool Ok { get; init; }

    public string? Error { get; init; }

    public string? Needed { get; init; }

    public string? Warning { get; init; }
}

public sealed record AuthTestResponse : SlackResponse
{
    public string? UserId { get; init; }

    public string? BotId { get; init; }

    public string? TeamId { get; init; }

    public string? Team { get; init; }
}

public sealed record MessageResponse : SlackResponse
{
    public string? Channel { get; init; }

    public string? Ts { get; init; }

    public string? MessageTs { get; init; }
}

public sealed record SlackChannel
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }
}

public sealed record ChannelResponse : SlackResponse
{
    public SlackChannel? Channel { get; init; }
}

public sealed record HistoryResponse : SlackResponse
{
    public List<JsonObject> Messages { get; init; } = [];

    public bool HasMore { get; init; }

    public ResponseMetadata? ResponseMetadata { get; init; }
}

public sealed record ResponseMetadata
{
    public string? NextCursor { get; init; }
}

public sealed record SlackProfile
{
    public string? DisplayName { get; init; }

    public string? RealName { get; init; }

    public string? Email { get; init; }
}

public sealed record SlackUser
{
    public string Id { get; init; } = "";

    public string? Name { get; init; }

    public string? RealName { get; init; }

    public bool IsBot { get; init; }

    public SlackProfile? Profile { get; init; }

    /// <summary>The name people see: display name, else real name, else handle, else id.</summary>
    [JsonIgnore]
    public string ShownName =>
        new[] { Profile?.DisplayName, Profile?.RealName, RealName, Name }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? Id;
}

public sealed record UserResponse : SlackResponse
{
    public SlackUser? User { get; init; }
}

public sealed record UploadUrlResponse : SlackResponse
{
    public string UploadUrl { get; init; } = "";

    public string FileId { get; init; } = "";
}

public sealed record CompleteUploadResponse : SlackResponse
{
    public List<JsonObject> Files { get; init; } = [];
}

public sealed record ConnectionResponse : SlackResponse
{
    public string Url { get; init; } = "";
}

/// <summary>A message to send: fallback text (notifications, screen readers) and Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks);
