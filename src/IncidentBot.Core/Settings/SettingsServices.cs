using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Settings;

/// <summary>
/// A configuration section and the shape it binds to. At start-up the host checks every key under it (unknown keys,
/// values that don't parse: the binder would drop or throw on them) and then runs the section's validator.
/// </summary>
/// <param name="Name">The section, e.g. <c>Slack</c>.</param>
/// <param name="Shape">The type the section's keys must fit (the options class, or a dictionary of them).</param>
/// <param name="Check">
/// The bound (not yet validated) options run through their validator; bound from the given configuration instead when
/// one is passed (the host passes one without the keys that don't parse, so the rest is still checked).
/// </param>
public sealed record SettingsSection(string Name, Type Shape, Func<IServiceProvider, IConfiguration?, IEnumerable<SettingsFinding>> Check);

public static class SettingsServices
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validated by <typeparamref name="TValidator"/> at start-up.</summary>
    public static OptionsBuilder<T> AddSettings<T, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
        where TValidator : SettingsValidator<T> =>
        services.AddSettings<T, TValidator>(configuration.GetSection(section), section, typeof(T));

    /// <summary>As above, for options bound elsewhere than their section (e.g. <c>Hooks</c>, a dictionary bound from the root).</summary>
    public static OptionsBuilder<T> AddSettings<T, TValidator>(this IServiceCollection services, IConfiguration bindFrom, string section, Type shape)
        where T : class
        where TValidator : SettingsValidator<T>
    {
        services.TryAddSingleton(typeof(Configured<>));
        services.TryAddSingleton<IOptionsMonitor<T>, LastGoodOptionsMonitor<T>>(); // a bad reload keeps the last good values
        services.TryAddSingleton<TValidator>();
        services.AddSingleton<IValidateOptions<T>>(sp => sp.GetRequiredService<TValidator>());
        services.AddSingleton(new SettingsSection(section, shape, (sp, instead) => sp.GetRequiredService<TValidator>().Check(
            instead is null ? sp.GetRequiredService<Configured<T>>().Value : BoundFrom<T>(sp, bindFrom is IConfigurationSection s ? instead.GetSection(s.Path) : instead))));
        return services.AddOptions<T>().Bind(bindFrom).ValidateOnStart();
    }

    private static T BoundFrom<T>(IServiceProvider services, IConfiguration configuration)
        where T : class =>
        new OptionsFactory<T>([new ConfigureFromConfigurationOptions<T>(configuration)], services.GetServices<IPostConfigureOptions<T>>()).Create(Options.DefaultName);
}
