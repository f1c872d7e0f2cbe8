using IncidentBot.Core.Settings;

namespace IncidentBot.Core.Runbooks;

/// <summary>Runbooks: a folder is named (its files are checked when they load, at start-up too).</summary>
public sealed class RunbookOptionsValidator : SettingsValidator<RunbookOptions>
{
    public override IEnumerable<SettingsFinding> Check(RunbookOptions options) =>
        string.IsNullOrWhiteSpace(options.Path) ? [SettingsFinding.Error($"{RunbookOptions.Section}:Path is empty; name the folder of runbook *.yaml files")] : [];
}
