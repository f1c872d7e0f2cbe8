using IncidentBot.Core.Incidents;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Incidents;

public sealed class IncidentTransitionTests
{
    public static readonly string[] Commands = ["ack", "mitigate", "monitor", "resolve", "reopen", "close", "cancel"];

    // Every allowed transition: (from, command) -> to. Everything not listed here must be refused.
    private static readonly Dictionary<(IncidentState, string), IncidentState> Allowed = new()
    {
        [(IncidentState.Declared, "ack")] = IncidentState.Investigating,
        [(IncidentState.Declared, "cancel")] = IncidentState.Cancelled,
        [(IncidentState.Investigating, "mitigate")] = IncidentState.Mitigating,
        [(IncidentState.Investigating, "resolve")] = IncidentState.Resolved,
        [(IncidentState.Investigating, "cancel")] = IncidentState.Cancelled,
        [(IncidentState.Mitigating, "monitor")] = IncidentState.Monitoring,
        [(IncidentState.Mitigating, "resolve")] = IncidentState.Resolved,
        [(IncidentState.Monitoring, "mitigate")] = IncidentState.Mitigating,
        [(IncidentState.Monitoring, "resolve")] = IncidentState.Resolved,
        [(IncidentState.Resolved, "reopen")] = IncidentState.Investigating,
        [(IncidentState.Resolved, "close")] = IncidentState.Closed,
    };

    public static TheoryData<IncidentState, string> EveryStateAndCommand()
    {
        var data = new TheoryData<IncidentState, string>();
        foreach (var state in Enum.GetValues<IncidentState>())
        {
            foreach (var command in Commands)
            {
                data.Add(state, command);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndCommand))]
    public void EachCommandMovesTheIncidentOnlyWhereTheMachineAllows(IncidentState from, string command)
    {
        var incident = Some.Incident(from);
        var at = Some.Start.AddMinutes(5);

        var outcome = Fire(incident, command, at);

        if (Allowed.TryGetValue((from, command), out var to))
        {
            Assert.True(outcome.Succeeded, outcome.Message);
            Assert.Equal(to, incident.State);
            var record = Assert.Single(incident.Transitions);
            Assert.Equal((from, to, "bob", at), (record.From, record.To, record.By, record.At));
        }
        else
        {
            Assert.False(outcome.Succeeded);
            Assert.Equal(from, incident.State);
            Assert.Empty(incident.Transitions);
            Assert.StartsWith($"INC-7 is {from}", outcome.Message);
        }
    }

    [Fact]
    public void ResolvingADeclaredIncidentAsksForAnAcknowledgementFirst()
    {
        var outcome = Some.Incident().Resolve("bob", Some.Start);

        Assert.Equal("INC-7 is Declared: acknowledge it before resolving.", outcome.Message);
    }

    [Fact]
    public void AcknowledgingTwiceNamesWhoAcknowledgedFirst()
    {
        var incident = Some.Incident();
        incident.Acknowledge("alice", Some.Start);

        var outcome = incident.Acknowledge("bob", Some.Start.AddMinutes(1));

        Assert.False(outcome.Succeeded);
        Assert.Equal("INC-7 is Investigating: it was already acknowledged by alice.", outcome.Message);
    }

    [Fact]
    public void CancellingKeepsTheReasonAndEndsTheIncident()
    {
        var incident = Some.Incident();

        incident.Cancel("synthetic monitor misfired", "alice", Some.Start);

        Assert.Equal(IncidentState.Cancelled, incident.State);
        Assert.Equal("synthetic monitor misfired", incident.CancelReason);
        Assert.True(incident.IsFinished);
        Assert.Contains("false alarm: synthetic monitor misfired", incident.Reopen("bob", Some.Start).Message);
    }

    [Fact]
    public void TheMachineIsRebuiltFromTheStoredState()
    {
        // What LiteDB hands back is a fresh object with the stored state: the machine must follow it.
        var incident = Some.Incident(IncidentState.Monitoring);

        Assert.True(incident.Resolve("bob", Some.Start).Succeeded);
        Assert.Equal(IncidentState.Resolved, incident.State);
    }

    private static Outcome Fire(Incident incident, string command, DateTimeOffset at) => command switch
    {
        "ack" => incident.Acknowledge("bob", at),
        "mitigate" => incident.BeginMitigation("bob", at),
        "monitor" => incident.MarkMitigated("bob", at),
        "resolve" => incident.Resolve("bob", at),
        "reopen" => incident.Reopen("bob", at),
        "close" => incident.Close("bob", at),
        _ => incident.Cancel("false alarm", "bob", at),
    };
}
