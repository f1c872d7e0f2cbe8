using CsCheck;
using IncidentBot.Core.Runbooks;
using IncidentBot.Properties.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Properties.Tests.Runbooks;

/// <summary>
/// Runbook YAML, from the shipped runbooks damaged at random (lines dropped, repeated, swapped, characters changed) and
/// from noise: a runbook loads, or the loader refuses it with a <see cref="RunbookException"/> naming the file; nothing else.
/// </summary>
public sealed class RunbookYamlProperties
{
    private static readonly string[] Shipped = Directory.GetFiles(Repo.Runbooks, "*.yaml").Select(File.ReadAllText).ToArray();

    private static readonly Gen<string> Damaged = Gen.Select(Gen.OneOf(Shipped), Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gens.Text).Select((yaml, how, at, text) =>
    {
        var lines = yaml.Split('\n').ToList();
        var i = at % lines.Count;
        switch (how)
        {
            case 0:
                lines.RemoveAt(i);
                break;
            case 1:
                lines.Insert(i, lines[(i + 1) % lines.Count]);
                break;
            case 2:
                (lines[i], lines[(i * 7) % lines.Count]) = (lines[(i * 7) % lines.Count], lines[i]);
                break;
            case 3:
                lines[i] = lines[i].Length == 0 ? text : lines[i][..(at % lines[i].Length)] + text;
                break;
            case 4:
                lines.Insert(i, text);
                break;
            case 5:
                lines = lines.Take(i).ToList();
                break;
        }

        return string.Join('\n', lines);
    });

    [Fact]
    public void DamagedRunbooksLoadOrAreRefusedNamingTheFile() =>
        Gen.OneOf(Damaged, Gens.Text).Sample(yaml =>
        {
            try
            {
                var runbook = RunbookLoader.Parse("damaged.yaml", yaml);
                Assert.NotNull(runbook);
            }
            catch (RunbookException e)
            {
                Assert.StartsWith("damaged.yaml", e.Message, StringComparison.Ordinal);
            }
        }, iter: Iterations.Count, threads: 1);
}
