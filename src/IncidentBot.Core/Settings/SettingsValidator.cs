using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Settings;

/// <summary>One finding about the settings: a line that starts with the key it is about and says what is wrong.</summary>
public sealed record SettingsFinding(string Line, bool IsWarning)
{
    public static SettingsFinding Error(string line) => new(line, IsWarning: false);

    /// <summary>Legal but probably not what was meant: logged at start-up, start-up goes on.</summary>
    public static SettingsFinding Warning(string line) => new(line, IsWarning: true);
}

/// <summary>
/// The one way an options class is validated: one small validator per class yields every problem at once, each a
/// line naming its key, and warnings for what is legal but surprising. The host prints them all before starting
/// (Hosting/StartupCheck); as an <see cref="IValidateOptions{TOptions}"/> it also guards any later read.
/// </summary>
public abstract class SettingsValidator<T> : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = Check(options).Where(f => !f.IsWarning).Select(f => f.Line).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public abstract IEnumerable<SettingsFinding> Check(T options);
}
