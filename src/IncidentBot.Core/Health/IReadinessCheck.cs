namespace IncidentBot.Core.Health;

/// <summary>
/// One thing the bot needs before it can do its job (storage open, a chat platform that accepts its token, the
/// scheduler running). <c>GET /readyz</c> asks every registered check; each adapter registers its own.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Short and stable, e.g. <c>storage</c>, <c>slack</c>.</summary>
    string Name { get; }

    Task<Readiness> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Ready or not, and a sentence an operator understands (never a secret).</summary>
public sealed record Readiness(bool Ready, string Detail)
{
    public static Readiness Ok(string detail) => new(true, detail);

    public static Readiness NotReady(string detail) => new(false, detail);
}
