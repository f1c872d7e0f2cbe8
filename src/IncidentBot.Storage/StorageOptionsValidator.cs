using IncidentBot.Core.Settings;

namespace IncidentBot.Storage;

/// <summary>Storage: a file named, in a folder the bot can write to (or <c>:memory:</c>).</summary>
public sealed class StorageOptionsValidator : SettingsValidator<StorageOptions>
{
    public override IEnumerable<SettingsFinding> Check(StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            yield return SettingsFinding.Error($"{StorageOptions.Section}:Path is empty; name the storage file (e.g. data/incidentbot.db)");
        }
        else if (options.Path != ":memory:" && WritableFolder.Problem(Path.GetDirectoryName(Path.GetFullPath(options.Path))!) is { } problem)
        {
            yield return SettingsFinding.Error($"{StorageOptions.Section}:Path is {options.Path}: {problem}");
        }
    }
}
