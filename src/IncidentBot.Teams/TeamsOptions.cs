namespace IncidentBot.Teams;

/// <summary>
/// Section <c>Teams</c> (aliases MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId). Teams is on only when
/// <see cref="AppId"/>, <see cref="AppPassword"/> and <see cref="TenantId"/> are set.
/// </summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>The issuer of every token the Bot Connector sends (Bot Framework docs, "Connector to Bot").</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The Azure Bot's Microsoft App ID (a GUID): the audience of inbound tokens and the client id of outbound ones.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The app's client secret, used only to ask <see cref="TokenUrl"/> for a token; never logged.</summary>
    public string AppPassword { get; set; } = "";

    /// <summary>The bot's home tenant (single-tenant registration): fills {TenantId} in <see cref="TokenUrl"/>.</summary>
    public string TenantId { get; set; } = "";

    /// <summary>Where the Bot Connector's signing keys are described (OpenID metadata with a jwks_uri).</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>The client-credentials token endpoint; {TenantId} is replaced by <see cref="TenantId"/>.</summary>
    public string TokenUrl { get; set; } = "https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token";

    /// <summary>The scope asked for outbound tokens.</summary>
    public string Scope { get; set; } = "https://api.botframework.com/.default";

    /// <summary>The channel whose incidents get a thread each (a 19:...@thread.tacv2 id). Empty: the channel where the incident is declared.</summary>
    public string IncidentChannelId { get; set; } = "";

    /// <summary>Tolerance for a token's nbf/exp (seconds; the Bot Framework's own validators allow 5 minutes).</summary>
    public int ClockSkewSeconds { get; set; } = 300;

    /// <summary>How long the Connector's signing keys are trusted before they are fetched again (hours).</summary>
    public int KeyCacheHours { get; set; } = 24;

    /// <summary>An unknown key id fetches the keys again, but not more often than this (seconds), so a flood of bad tokens can't hammer the metadata URL.</summary>
    public int KeyRefreshFloorSeconds { get; set; } = 300;

    /// <summary>How long a command or a card action may run before Teams gets its answer without the result (milliseconds; Teams gives an invoke about 5 s, a message 15 s).</summary>
    public int InvokeBudgetMilliseconds { get; set; } = 3000;

    /// <summary>How often one Connector call is retried after HTTP 429, 412, 502, 503 or 504.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The longest wait before one retry, whatever Retry-After says (seconds).</summary>
    public int MaxRetryDelaySeconds { get; set; } = 30;

    /// <summary>
    /// No longer used: conversation references and posted cards live in the storage file (<c>Storage:Path</c>). Kept
    /// only so that start-up can say so in one line when an old configuration still sets it.
    /// </summary>
    public string StoragePath { get; set; } = "";

    public bool Enabled => AppId.Length > 0 && AppPassword.Length > 0 && TenantId.Length > 0;

    public string ResolvedTokenUrl => TokenUrl.Replace("{TenantId}", Uri.EscapeDataString(TenantId), StringComparison.Ordinal);
}
