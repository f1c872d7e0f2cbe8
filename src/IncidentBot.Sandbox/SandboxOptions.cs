namespace IncidentBot.Sandbox;

/// <summary>How the sandbox is seeded and how strict it is. Everything has a default, so a drill needs no settings.</summary>
public sealed class SandboxOptions
{
    /// <summary>The secret key the sandbox accepts (always an sk_test_ key: a drill never holds a live one).</summary>
    public string SecretKey { get; set; } = "sk_test_drill_sandbox_0000000000000000";

    /// <summary>Signs the app's Clerk webhooks (whsec_ + base64).</summary>
    public string WebhookSecret { get; set; } = "whsec_" + Convert.ToBase64String("incidentbot-drill-webhook-key-32"u8.ToArray());

    /// <summary>Signs the hooks (bypass on/off, pause/resume webhooks) the bot calls on the app.</summary>
    public string HookSecret { get; set; } = "drill-hook-secret";

    /// <summary>How many users the population has.</summary>
    public int Users { get; set; } = 250;

    /// <summary>The seed of the population: the same seed gives the same users, emails and sessions.</summary>
    public int Seed { get; set; } = 20261201;

    /// <summary>Requests per <see cref="RateWindow"/> (Clerk's limit for development instances); null: no limit.</summary>
    public int? RateLimit { get; set; } = 100;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>"development" for the sk_test_ key the drill uses.</summary>
    public string EnvironmentType { get; set; } = "development";

    /// <summary>
    /// created_at_after / created_at_before keep a user created at exactly the bound (the spec doesn't say which Clerk
    /// does); false, the default: strict bounds.
    /// </summary>
    public bool CreatedAtBoundsInclusive { get; set; }

    /// <summary>When the population was created: created_at values count back from here (Unix ms).</summary>
    public DateTimeOffset Epoch { get; set; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
}
