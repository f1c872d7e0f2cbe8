using IncidentBot.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>
/// The sandbox as the protocol tests use it: empty (tests add exactly the users they need), no rate limit unless a
/// test sets one, a fixed test key, every request and answer checked against the spec (<see cref="ClerkContract"/>),
/// and on a <see cref="FakeTimeProvider"/> a slow answer moves the clock instead of waiting.
/// </summary>
public static class TestSandbox
{
    public const string SecretKey = "sk_test_emulator";

    public static async Task<ClerkSandbox> StartAsync(TimeProvider time, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { Users = 0, SecretKey = SecretKey, RateLimit = null };
        configure?.Invoke(options);
        var sandbox = (await ClerkSandbox.StartAsync(options, time)).Checked();
        if (time is FakeTimeProvider fake)
        {
            sandbox.Wait = (span, _) =>
            {
                fake.Advance(span);
                return Task.CompletedTask;
            };
        }

        return sandbox;
    }
}
