using CsCheck;
using IncidentBot.Core.Commands;
using IncidentBot.Properties.Tests.Support;

namespace IncidentBot.Properties.Tests.Commands;

/// <summary>The command parser, fed generated lines: never an exception; a failure always says what to do.</summary>
public sealed class CommandParserProperties
{
    private static readonly CommandParser Parser = new(
        new[] { "declare", "ack", "note", "status", "list", "help", "step", "hook", "commander", "resolve", "report", "revoke", "ban", "affected", "severity", "cancel", "timeline", "audit" }
            .Select(n => new CommandSpec(n, n + " <args>", "does " + n, NeedsIncident: n is not ("declare" or "help" or "list"))));

    private static readonly Gen<string> Lines = Gen.OneOf(
        Gens.Text,
        Gen.Select(Gen.OneOf("/incident ", "/INCIDENT", "", " /incident\t", "/incidentdeclare "), Gen.OneOf(Parser.Specs.Select(s => s.Name).Append("").Append("INC-1").ToArray()), Gens.Text)
            .Select((prefix, name, rest) => prefix + name + " " + rest),
        Gen.Select(Gen.OneOf("INC-", "inc-", "INC-999999999999999999999", "INC-0"), Gen.Int).Select((id, n) => $"/incident status {id}{n} x"));

    [Fact]
    public void AnyLineParsesOrFailsWithASentence() =>
        Lines.Sample(line =>
        {
            switch (Parser.Parse(line))
            {
                case Parsed parsed:
                    Assert.NotNull(parsed.Spec);
                    Assert.DoesNotContain(parsed.Args, a => a.Length == 0);
                    Assert.True(parsed.IncidentId is null || CommandParser.IsIncidentId(parsed.IncidentId));
                    break;
                case ParseFailed failed:
                    Assert.False(string.IsNullOrWhiteSpace(failed.Message));
                    break;
                default:
                    Assert.Fail("neither parsed nor failed");
                    break;
            }
        }, iter: Iterations.Count, threads: 1);
}
