using IncidentBot.Tests.Support;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Commands.Handlers;
using IncidentBot.Core.Escalation;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Core.Tests.Escalation.Support;

/// <summary>
/// The core with escalation wired as the host wires it, on a <see cref="FakeTimeProvider"/>, an in-memory store and a
/// recording surface. <see cref="AdvanceAsync"/> moves the clock the way a punctual scheduler sees it: to each deadline in turn.
/// </summary>
public sealed class EscalationHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<RunbookCatalog> Runbooks = new(() => new RunbookCatalog(RunbookLoader.LoadDirectory(FindRunbooks())));

    public EscalationHarness(EscalationOptions? options = null, EscalationStore? store = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Store = store ?? new EscalationStore();
        Options = new TestOptionsMonitor<EscalationOptions>(options ?? DefaultPolicy());
        var roster = Roster();
        var policies = new EscalationPolicies(Options, new TestOptionsMonitor<RosterOptions>(roster), NullLogger<EscalationPolicies>.Instance);
        var signal = new DeadlineSignal();
        var locks = new IncidentLocks();
        Incidents = new IncidentService(
            Store, Runbooks.Value, [Surface], [new EscalationReactor(policies), signal], locks, Time, NullLogger<IncidentService>.Instance);
        Scheduler = new DeadlineScheduler(
            Incidents, [new PingDeadline(), new StatusReminderDeadline(), new CommanderReminderDeadline()], signal, locks, Time, NullLogger<DeadlineScheduler>.Instance);

        List<ICommandHandler> handlers =
        [
            new DeclareHandler(Incidents),
            new EscalateHandler(Incidents),
            new NoteHandler(Incidents),
            new CommanderHandler(Incidents, Microsoft.Extensions.Options.Options.Create(roster)),
            new CancelHandler(Incidents),
            new SeverityHandler(Incidents),
            .. TransitionHandler.Transitions.Select(t => new TransitionHandler(t.Spec, t.Fire, Incidents)),
        ];
        Router = new CommandRouter(handlers, Incidents);
    }

    public FakeTimeProvider Time { get; }

    public EscalationStore Store { get; }

    public RecordingChat Surface { get; } = new();

    public TestOptionsMonitor<EscalationOptions> Options { get; }

    public IncidentService Incidents { get; }

    public CommandRouter Router { get; }

    public DeadlineScheduler Scheduler { get; }

    /// <summary>The policy appsettings.json ships (a host test checks the two agree).</summary>
    /// <param name="reminders">False turns both reminders off, for tests about pages alone.</param>
    public static EscalationOptions DefaultPolicy(bool reminders = true) => new()
    {
        Levels = EscalationOptions.DefaultLevels(),
        Repeats = 0,
        StatusUpdateEvery = reminders ? TimeSpan.FromMinutes(30) : TimeSpan.Zero,
        CommanderReminderEvery = reminders ? TimeSpan.FromMinutes(10) : TimeSpan.Zero,
        Severities = new()
        {
            ["Sev1"] = new() { Repeats = 1, StatusUpdateEvery = reminders ? TimeSpan.FromMinutes(15) : TimeSpan.Zero },
            ["Sev2"] = new() { StatusUpdateEvery = reminders ? TimeSpan.FromMinutes(30) : TimeSpan.Zero },
            ["Sev3"] = new()
            {
                Levels = [new() { Notify = ["on-call"], EscalateAfter = TimeSpan.FromMinutes(30) }],
                StatusUpdateEvery = reminders ? TimeSpan.FromHours(1) : TimeSpan.Zero,
            },
        },
    };

    public static RosterOptions Roster() => new()
    {
        People =
        [
            new() { Name = "alice", Role = "on-call" },
            new() { Name = "bob", Role = "engineering-lead" },
            new() { Name = "carol", Role = "cto" },
            new() { Name = "dave", Role = "developer" },
        ],
    };

    /// <summary>The same store and clock with a fresh service, scheduler and surface: the bot after a restart.</summary>
    public EscalationHarness Restart() => new(Options.CurrentValue, Store, Time);

    public async Task<string> DeclareAsync(string severity = "sev2", string by = "dave")
    {
        var result = await RunAsync($"/incident declare auth-outage {severity} Users cannot sign in", by);
        return result.IncidentId ?? throw new InvalidOperationException(result.Reply.Message.Text);
    }

    public Task<CommandResult> RunAsync(string line, string by = "alice", string? guard = null) =>
        Router.HandleAsync(new CommandContext(new Actor(by), "test", "room", Guard: guard), line, CancellationToken.None);

    /// <summary>Moves the clock forward by <paramref name="span"/>, stopping at each deadline on the way to let the scheduler act.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        var target = Time.GetUtcNow() + span;
        await Scheduler.RunDueAsync(CancellationToken.None);
        while (Scheduler.NextDue() is { } next && next <= target)
        {
            if (next > Time.GetUtcNow())
            {
                Time.Advance(next - Time.GetUtcNow());
            }

            await Scheduler.RunDueAsync(CancellationToken.None);
        }

        if (target > Time.GetUtcNow())
        {
            Time.Advance(target - Time.GetUtcNow());
        }
    }

    public EscalationState State(string id) => Incidents.Find(id)!.Escalation!;

    /// <summary>Each page as "+hh:mm:ss L{level} R{round} people", from the incident's record.</summary>
    public IReadOnlyList<string> PageLog(string id) =>
        State(id).Pings.Select(p => $"+{p.SentAt - Start:hh\\:mm\\:ss} L{p.Level} R{p.Round} {string.Join(",", p.People)}").ToList();

    /// <summary>The timeline entries that record a page.</summary>
    public IReadOnlyList<TimelineEntry> PageEntries(string id) =>
        Incidents.Timeline(id).Where(e => e.Kind == EntryKind.Escalation && e.Text.StartsWith("Paged", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<TimelineEntry> Entries(string id, string startingWith) =>
        Incidents.Timeline(id).Where(e => e.Text.StartsWith(startingWith, StringComparison.Ordinal)).ToList();

    /// <summary>Who got a direct message, in order.</summary>
    public IReadOnlyList<string> DirectedTo() => Surface.Directs.Select(d => d.PersonName).ToList();

    private static string FindRunbooks()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "manifests", "runbooks");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("manifests/runbooks not found above the test output folder");
    }
}
