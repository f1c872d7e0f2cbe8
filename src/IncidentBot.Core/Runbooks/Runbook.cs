namespace IncidentBot.Core.Runbooks;

public enum StepKind
{
    Manual,
    Check,
    Action,
    Choice,
}

/// <summary>A procedure for one incident category, loaded from manifests/runbooks/*.yaml.</summary>
public sealed class Runbook
{
    public required string Id { get; init; }

    public required string Category { get; init; }

    public required string Title { get; init; }

    public string Symptoms { get; init; } = "";

    public required IReadOnlyList<RunbookStep> Steps { get; init; }

    public required string SourceFile { get; init; }

    /// <summary>
    /// The steps in the order they are walked, given the branches chosen so far. An unchosen choice
    /// ends the path: the walk cannot go past it until someone picks a branch.
    /// </summary>
    public IReadOnlyList<RunbookStep> Path(IReadOnlyDictionary<string, string> choices)
    {
        var path = new List<RunbookStep>();
        Walk(Steps, choices, path);
        return path;
    }

    /// <summary>How many steps the whole walk has: chosen branches count as chosen, open choices as their longest branch.</summary>
    public int TotalSteps(IReadOnlyDictionary<string, string> choices) => Count(Steps, choices);

    public RunbookStep? FindStep(string id) => Flatten(Steps).FirstOrDefault(s => s.Id == id);

    public static IEnumerable<RunbookStep> Flatten(IEnumerable<RunbookStep> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            foreach (var branch in step.Branches)
            {
                foreach (var inner in Flatten(branch.Steps))
                {
                    yield return inner;
                }
            }
        }
    }

    private static bool Walk(IReadOnlyList<RunbookStep> steps, IReadOnlyDictionary<string, string> choices, List<RunbookStep> path)
    {
        foreach (var step in steps)
        {
            path.Add(step);
            if (step.Kind != StepKind.Choice)
            {
                continue;
            }

            var branch = choices.TryGetValue(step.Id, out var chosen) ? step.Branches.FirstOrDefault(b => b.Id == chosen) : null;
            if (branch is null || !Walk(branch.Steps, choices, path))
            {
                return false;
            }
        }

        return true;
    }

    private static int Count(IReadOnlyList<RunbookStep> steps, IReadOnlyDictionary<string, string> choices)
    {
        var total = 0;
        foreach (var step in steps)
        {
            total++;
            if (step.Kind != StepKind.Choice)
            {
                continue;
            }

            var branch = choices.TryGetValue(step.Id, out var chosen) ? step.Branches.FirstOrDefault(b => b.Id == chosen) : null;
            total += branch is not null ? Count(branch.Steps, choices) : step.Branches.Max(b => Count(b.Steps, choices));
        }

        return total;
    }
}

public sealed class RunbookStep
{
    public required string Id { get; init; }

    public required StepKind Kind { get; init; }

    public required string Title { get; init; }

    public string Detail { get; init; } = "";

    /// <summary>The check's catalogue name, for <see cref="StepKind.Check"/> steps.</summary>
    public string? Check { get; init; }

    /// <summary>The action's catalogue name, for <see cref="StepKind.Action"/> steps.</summary>
    public string? Action { get; init; }

    /// <summary>Free arguments for the check or action (a hook's name, say).</summary>
    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<RunbookBranch> Branches { get; init; } = [];
}

public sealed class RunbookBranch
{
    public required string Id { get; init; }

    public required string Label { get; init; }

    public required IReadOnlyList<RunbookStep> Steps { get; init; }
}
