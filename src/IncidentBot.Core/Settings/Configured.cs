using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Settings;

/// <summary>
/// Options as configured, before validation: for a validator that reads another section (the roster, say), so one
/// section's mistakes don't hide another's. Everything else reads <see cref="IOptions{TOptions}"/>.
/// </summary>
public sealed class Configured<T>(IEnumerable<IConfigureOptions<T>> setups, IEnumerable<IPostConfigureOptions<T>> postConfigures)
    where T : class
{
    public T Value => new OptionsFactory<T>(setups, postConfigures).Create(Options.DefaultName);
}
