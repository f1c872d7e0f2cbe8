namespace IncidentBot.Slack;

/// <summary>Section <c>Slack</c>. Slack is on only when <see cref="BotToken"/> and <see cref="SigningSecret"/> are both set; <see cref="SlackOptionsValidator"/> checks it.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>Base URL of the Web API, ending in a slash. Tests and drills point it at a local emulator.</summary>
    public string ApiUrl { get; set; } = "https://slack.com/api/";

    /// <summary>The bot token (<c>xoxb-...</c>), sent as a Bearer header, never logged.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>The app's signing secret: every HTTP request from Slack is verified with it.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>An app-level token (<c>xapp-...</c>, scope connections:write). When set, Slack is reached over Socket Mode.</summary>
    public string AppToken { get; set; } = "";

    /// <summary>How incident channels are named: {date} (yyyyMMdd, UTC), {number}, {id} and {title} are replaced; the result is made valid for Slack.</summary>
    public string ChannelNamePattern { get; set; } = "inc-{date}-{title}";

    /// <summary>Whether to open a channel per incident. Off: the incident lives in the channel where it was declared.</summary>
    public bool CreateChannels { get; set; } = true;

    /// <summary>
    /// Per runbook category, <c>private</c> or <c>public</c> incident channels (private needs groups:write). The category
    /// decides: security incidents get a private channel unless set to public here; a category not listed, a public one.
    /// </summary>
    public Dictionary<string, string> ChannelVisibility { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["security"] = "private" };

    /// <summary>Roster roles invited into a new incident channel besides the declarer, comma-separated.</summary>
    public string InviteRoles { get; set; } = "on-call";

    /// <summary>Requests whose timestamp is further than this from now, either way, are refused (seconds, 1 to 3600).</summary>
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>How long a slash command or button may run before Slack gets an interim acknowledgement (milliseconds, 100 to 2900: below Slack's 3000).</summary>
    public int AckBudgetMilliseconds { get; set; } = 2000;

    /// <summary>How often one Web API call is retried after HTTP 429, waiting Retry-After seconds each time (0 to 10).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>
    /// How often one Web API call is retried after a connection failure or an HTTP 5xx (0 to 10), waiting Retry-After when
    /// Slack sends it, else a jittered exponential backoff (about 1, 2, 4 ... seconds, at most 30).
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>How long one attempt of a Web API call may take before it fails (seconds, 1 to 300). Not retried: Slack may have done it.</summary>
    public int CallTimeoutSeconds { get; set; } = 15;

    /// <summary>Longest wait between Socket Mode reconnection attempts (seconds, 1 to 600).</summary>
    public int MaxReconnectDelaySeconds { get; set; } = 30;

    public bool IsPrivate(string category) =>
        ChannelVisibility.Any(kv => string.Equals(kv.Key, category, StringComparison.OrdinalIgnoreCase) && string.Equals(kv.Value.Trim(), "private", StringComparison.OrdinalIgnoreCase));

    public bool Enabled => BotToken.Length > 0 && SigningSecret.Length > 0;

    public bool SocketMode => Enabled && AppToken.Length > 0;
}
