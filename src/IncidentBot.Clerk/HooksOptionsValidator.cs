using IncidentBot.Core.Settings;

namespace IncidentBot.Clerk;

/// <summary>Hooks: each named hook's URL, method, bypass switch and timeout.</summary>
public sealed class HooksOptionsValidator : SettingsValidator<HooksOptions>
{
    public override IEnumerable<SettingsFinding> Check(HooksOptions options)
    {
        foreach (var (name, hook) in options.Hooks)
        {
            var key = $"Hooks:{name}";
            if (hook.Url.Length > 0 && !ClerkOptionsValidator.IsHttp(hook.Url))
            {
                yield return SettingsFinding.Error($"{key}:Url is not an absolute http(s) URL (or empty: the hook is off)");
            }

            if (hook.Method.ToUpperInvariant() is not ("POST" or "PUT" or "PATCH" or "DELETE" or "GET"))
            {
                yield return SettingsFinding.Error($"{key}:Method is '{hook.Method}'; use POST, PUT, PATCH, DELETE or GET");
            }

            if (hook.Bypass.ToLowerInvariant() is not ("" or "on" or "off"))
            {
                yield return SettingsFinding.Error($"{key}:Bypass is '{hook.Bypass}'; use on, off or leave it empty");
            }

            if (hook.Switch.Length == 0 ? hook.Turns.Length > 0 : hook.Turns.ToLowerInvariant() is not ("on" or "off"))
            {
                yield return SettingsFinding.Error($"{key}:Turns is '{hook.Turns}'; use on or off when {key}:Switch is set (and leave it empty otherwise)");
            }

            if (hook.TimeoutSeconds <= 0)
            {
                yield return SettingsFinding.Error($"{key}:TimeoutSeconds is {hook.TimeoutSeconds}; it must be positive");
            }
        }
    }
}
