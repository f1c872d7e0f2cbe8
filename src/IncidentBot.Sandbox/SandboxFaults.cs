namespace IncidentBot.Sandbox;

/// <summary>
/// Fault injection, from C# only (nothing of this is reachable over HTTP). Each fault is what a drill category
/// needs: an auth outage that recovers by itself after a while on the sandbox's clock, slow answers, a failing
/// webhook receiver while users change in Clerk, and users with suspicious sessions.
/// </summary>
public sealed class SandboxFaults
{
    private readonly ClerkSandbox _sandbox;
    private DateTimeOffset? _outageUntil;
    private TimeSpan? _slowBy;
    private DateTimeOffset? _slowUntil;

    internal SandboxFaults(ClerkSandbox sandbox) => _sandbox = sandbox;

    /// <summary>Status page "major", the Backend API answers 503, the app's health fails unless the bypass is on; all until <paramref name="recoverAfter"/> has passed.</summary>
    public void StartAuthOutage(TimeSpan recoverAfter) => _outageUntil = _sandbox.Time.GetUtcNow() + recoverAfter;

    public bool AuthOutageActive => _outageUntil is { } until && _sandbox.Time.GetUtcNow() < until;

    public DateTimeOffset? OutageRecoversAt => _outageUntil;

    /// <summary>Every Backend API answer and the app's health take <paramref name="by"/> longer, for <paramref name="lasting"/>.</summary>
    public void SlowDown(TimeSpan by, TimeSpan lasting)
    {
        _slowBy = by;
        _slowUntil = _sandbox.Time.GetUtcNow() + lasting;
    }

    public TimeSpan? SlowBy => _slowUntil is { } until && _sandbox.Time.GetUtcNow() < until ? _slowBy : null;

    /// <summary>
    /// The app's webhook receiver starts failing (500) and <paramref name="signUps"/> users sign up and
    /// <paramref name="emailChanges"/> change their primary email in Clerk meanwhile: the app's table drifts.
    /// Resuming webhook processing (the hook) deploys the receiver's fix; the missed changes need a resync.
    /// </summary>
    public IReadOnlyList<string> FailWebhooks(int signUps = 5, int emailChanges = 3)
    {
        _sandbox.App.ReceiverFailing = true;
        return _sandbox.DriftClerk(signUps, emailChanges);
    }

    /// <summary>Plants two active sessions from an unknown place on each of <paramref name="users"/> users; returns their ids.</summary>
    public IReadOnlyList<string> PlantSuspiciousSessions(int users = 3) => _sandbox.PlantSuspicious(users);

    public void Clear()
    {
        _outageUntil = null;
        _slowBy = null;
        _slowUntil = null;
        _sandbox.App.ReceiverFailing = false;
    }
}
