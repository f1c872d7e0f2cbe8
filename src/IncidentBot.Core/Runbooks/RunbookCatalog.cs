namespace IncidentBot.Core.Runbooks;

/// <summary>Section <c>Runbooks</c>.</summary>
public sealed class RunbookOptions
{
    public const string Section = "Runbooks";

    /// <summary>Folder of *.yaml procedures, relative to the content root.</summary>
    public string Path { get; set; } = "manifests/runbooks";
}

/// <summary>The loaded runbooks, one per category.</summary>
public sealed class RunbookCatalog(IReadOnlyList<Runbook> runbooks)
{
    public IReadOnlyList<Runbook> All { get; } = runbooks;

    public IEnumerable<string> Categories => All.Select(r => r.Category);

    public Runbook? ForCategory(string category) =>
        All.FirstOrDefault(r => string.Equals(r.Category, category, StringComparison.OrdinalIgnoreCase));

    public Runbook? ById(string id) => All.FirstOrDefault(r => r.Id == id);
}
