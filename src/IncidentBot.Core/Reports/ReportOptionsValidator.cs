using IncidentBot.Core.Settings;

namespace IncidentBot.Core.Reports;

/// <summary>Reports: a folder the bot can write to.</summary>
public sealed class ReportOptionsValidator : SettingsValidator<ReportOptions>
{
    public override IEnumerable<SettingsFinding> Check(ReportOptions options) =>
        string.IsNullOrWhiteSpace(options.Path)
            ? [SettingsFinding.Error($"{ReportOptions.Section}:Path is empty; name the folder reports are written to")]
            : WritableFolder.Problem(options.Path) is { } problem
                ? [SettingsFinding.Error($"{ReportOptions.Section}:Path is {options.Path}: {problem}")]
                : [];
}
