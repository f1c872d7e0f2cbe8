using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Tests.Escalation.Support;

/// <summary>Configuration that can be edited while the bot runs, as a reloaded appsettings.json would be.</summary>
public sealed class TestOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
