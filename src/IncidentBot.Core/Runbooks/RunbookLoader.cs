using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace IncidentBot.Core.Runbooks;

/// <summary>A runbook file that can't be used; the message is one line naming the file and the step.</summary>
public sealed class RunbookException(string message) : Exception(message);

/// <summary>Reads manifests/runbooks/*.yaml and validates every step against the catalogue.</summary>
public static class RunbookLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .Build();

    public static IReadOnlyList<Runbook> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new RunbookException($"Runbooks: folder {directory} does not exist (set Runbooks:Path)");
        }

        var files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml")).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new RunbookException($"Runbooks: no *.yaml file in {directory}");
        }

        var runbooks = files.Select(f => Parse(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        foreach (var duplicate in runbooks.GroupBy(r => r.Category).Where(g => g.Count() > 1))
        {
            throw new RunbookException($"{duplicate.Last().SourceFile}: category '{duplicate.Key}' already has a runbook in {duplicate.First().SourceFile}");
        }

        return runbooks;
    }

    public static Runbook Parse(string fileName, string yaml)
    {
        RunbookFile file;
        try
        {
            file = Yaml.Deserialize<RunbookFile>(yaml) ?? throw new RunbookException($"{fileName}: the file is empty");
        }
        catch (YamlException e)
        {
            throw new RunbookException($"{fileName}: line {e.Start.Line}: {Innermost(e).Message}");
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a few malformed documents (e.g. a global tag that is not a URI) this way.
            throw new RunbookException($"{fileName}: not a readable runbook: {e.Message}");
        }

        var where = fileName;
        var id = Required(file.Id, where, "id");
        var category = Required(file.Category, where, "category");
        var title = Required(file.Title, where, "title");
        if (file.Steps is not { Count: > 0 })
        {
            throw new RunbookException($"{where}: the runbook has no steps");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new Runbook
        {
            Id = id,
            Category = category,
            Title = title,
            Symptoms = file.Symptoms?.Trim() ?? "",
            Steps = file.Steps.Select((s, i) => ToStep(s, i, fileName, seen)).ToList(),
            SourceFile = fileName,
        };
    }

    private static RunbookStep ToStep(StepFile step, int index, string fileName, HashSet<string> seen)
    {
        var where = $"{fileName}: step {step.Id ?? $"#{index + 1}"}";
        var id = Required(step.Id, where, "id");
        if (!seen.Add(id))
        {
            throw new RunbookException($"{fileName}: step {id}: duplicate step id '{id}'");
        }

        var title = Required(step.Title, where, "title");
        var kindText = Required(step.Kind, where, "kind");
        if (!Enum.TryParse<StepKind>(kindText, ignoreCase: true, out var kind) || !kindText.All(char.IsAsciiLetterLower))
        {
            throw new RunbookException($"{where}: unknown kind '{kindText}' (manual, check, action or choice)");
        }

        if (kind == StepKind.Check && Catalogue.Check(step.Check) is null)
        {
            throw new RunbookException($"{where}: unknown check '{step.Check}' (known: {string.Join(", ", Catalogue.Checks.Select(c => c.Name))})");
        }

        if (kind == StepKind.Action && Catalogue.Action(step.Action) is null)
        {
            throw new RunbookException($"{where}: unknown action '{step.Action}' (known: {string.Join(", ", Catalogue.Actions.Select(a => a.Name))})");
        }

        if (kind == StepKind.Action && step.Action == "hook" && !(step.With?.ContainsKey("name") ?? false))
        {
            throw new RunbookException($"{where}: a hook action needs 'with: {{ name: <hook> }}'");
        }

        var branches = new List<RunbookBranch>();
        if (kind == StepKind.Choice)
        {
            if (step.Branches is not { Count: > 0 })
            {
                throw new RunbookException($"{where}: a choice step needs at least one branch");
            }

            foreach (var (branch, i) in step.Branches.Select((b, i) => (b, i)))
            {
                var branchWhere = $"{where}: branch {branch.Id ?? $"#{i + 1}"}";
                var branchId = Required(branch.Id, branchWhere, "id");
                if (!seen.Add(branchId))
                {
                    throw new RunbookException($"{fileName}: step {id}: duplicate step id '{branchId}'");
                }

                branches.Add(new RunbookBranch
                {
                    Id = branchId,
                    Label = Required(branch.Label, branchWhere, "label"),
                    Steps = (branch.Steps ?? []).Select((s, j) => ToStep(s, j, fileName, seen)).ToList(),
                });
            }
        }
        else if (step.Branches is { Count: > 0 })
        {
            throw new RunbookException($"{where}: only a choice step can have branches");
        }

        return new RunbookStep
        {
            Id = id,
            Kind = kind,
            Title = title,
            Detail = step.Detail?.Trim() ?? "",
            Check = step.Check,
            Action = step.Action,
            With = step.With ?? new Dictionary<string, string>(),
            Branches = branches,
        };
    }

    private static string Required(string? value, string where, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new RunbookException($"{where}: '{key}' is missing") : value.Trim();

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    // The YAML shape; mapped to the immutable model above after validation.
    private sealed class RunbookFile
    {
        public string? Id { get; set; }
        public string? Category { get; set; }
        public string? Title { get; set; }
        public string? Symptoms { get; set; }
        public List<StepFile>? Steps { get; set; }
    }

    private sealed class StepFile
    {
        public string? Id { get; set; }
        public string? Kind { get; set; }
        public string? Title { get; set; }
        public string? Detail { get; set; }
        public string? Check { get; set; }
        public string? Action { get; set; }
        public Dictionary<string, string>? With { get; set; }
        public List<BranchFile>? Branches { get; set; }
    }

    private sealed class BranchFile
    {
        public string? Id { get; set; }
        public string? Label { get; set; }
        public List<StepFile>? Steps { get; set; }
    }
}
