using IncidentBot.Core.People;
using IncidentBot.Core.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Tests.Settings;

/// <summary>Issue 9: settings reloaded while the bot runs keep their last valid values when a change is invalid.</summary>
public sealed class LastGoodOptionsMonitorTests : IDisposable
{
    private readonly IConfigurationRoot _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Roster:People:0:Name"] = "alice",
        ["Roster:People:0:Role"] = "on-call",
        ["Roster:People:1:Name"] = "bob",
        ["Roster:People:1:Role"] = "engineering-lead",
    }).Build();

    private readonly RecordingLogger _log = new();
    private readonly ServiceProvider _services;

    public LastGoodOptionsMonitorTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILogger<LastGoodOptionsMonitor<RosterOptions>>>(_log);
        services.AddSettings<RosterOptions, RosterOptionsValidator>(_configuration, RosterOptions.Section);
        _services = services.BuildServiceProvider();
    }

    private IOptionsMonitor<RosterOptions> Monitor => _services.GetRequiredService<IOptionsMonitor<RosterOptions>>();

    [Fact]
    public void AValidChangeIsAppliedAndListenersAreTold()
    {
        var monitor = Monitor;
        Assert.Equal("on-call", monitor.CurrentValue.People[0].Role);
        var told = new List<RosterOptions>();
        using var subscription = monitor.OnChange((value, _) => told.Add(value));

        _configuration["Roster:People:1:Role"] = "on-call";
        _configuration.Reload();

        Assert.Equal("on-call", monitor.CurrentValue.People[1].Role);
        Assert.Same(monitor.CurrentValue, Assert.Single(told));
        Assert.Empty(_log.Lines);
    }

    [Fact]
    public void AnInvalidChangeIsRefusedWithOneLineNamingTheKeyAndTheOldValuesStay()
    {
        var monitor = Monitor;
        var before = monitor.CurrentValue;
        var told = new List<RosterOptions>();
        using var subscription = monitor.OnChange((value, _) => told.Add(value));

        _configuration["Roster:People:0:Role"] = "";
        _configuration["Roster:People:1:Name"] = "ALICE";
        var reload = Record.Exception(_configuration.Reload);

        Assert.Null(reload);
        Assert.Same(before, monitor.CurrentValue);
        Assert.Same(before, monitor.Get(Options.DefaultName));
        Assert.Equal("on-call", monitor.CurrentValue.People[0].Role);
        Assert.Empty(told);
        Assert.Equal(
            [
                "Error: Settings change refused: Roster:People:0:Role is empty; every person needs a role (e.g. on-call)",
                "Error: Settings change refused: Roster:People:1:Name is 'ALICE', the same as Roster:People:0:Name; names must differ",
                "Warning: Settings change to RosterOptions refused: the previous values stay in force until the settings are fixed",
            ],
            _log.Lines);

        // Fixed again: applied, and listeners hear of it.
        _configuration["Roster:People:0:Role"] = "cto";
        _configuration["Roster:People:1:Name"] = "bob";
        _configuration.Reload();

        Assert.Equal("cto", monitor.CurrentValue.People[0].Role);
        Assert.Single(told);
    }

    [Fact]
    public void InvalidSettingsAtStartUpStillThrowOnTheFirstRead()
    {
        _configuration["Roster:People:0:Role"] = "";

        var e = Assert.Throws<OptionsValidationException>(() => Monitor.CurrentValue);

        Assert.Contains("Roster:People:0:Role is empty; every person needs a role (e.g. on-call)", e.Failures);
    }

    [Fact]
    public void AListenerThatStopsListeningIsNotToldAgain()
    {
        var monitor = Monitor;
        var told = 0;
        monitor.OnChange((_, _) => told++)!.Dispose();

        _configuration["Roster:People:1:Role"] = "cto";
        _configuration.Reload();

        Assert.Equal(0, told);
        Assert.Equal("cto", monitor.CurrentValue.People[1].Role);
    }

    public void Dispose() => _services.Dispose();

    private sealed class RecordingLogger : ILogger<LastGoodOptionsMonitor<RosterOptions>>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
