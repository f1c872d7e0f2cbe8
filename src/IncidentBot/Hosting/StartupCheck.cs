using IncidentBot.Core;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Settings;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Hosting;

/// <summary>
/// Everything checked before the host starts: each settings section's keys against its options class, then its
/// validator, then the runbooks. Every problem is collected; if there are any, <see cref="StartupProblems"/> carries
/// them all. Warnings are logged and start-up goes on.
/// </summary>
internal static class StartupCheck
{
    public static void Run(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var section in services.GetServices<SettingsSection>())
        {
            var shape = SettingsSchema.Check(configuration.GetSection(section.Name), section.Shape).ToList();
            errors.AddRange(shape.Select(p => p.Line));

            // Keys that would not bind as written are left out, so the rest of the section is still checked.
            var instead = shape.Count == 0 ? null : Without(configuration, shape.Select(p => p.Key).ToList());
            try
            {
                foreach (var finding in section.Check(services, instead))
                {
                    (finding.IsWarning ? warnings : errors).Add(finding.Line);
                }
            }
            catch (InvalidOperationException) when (errors.Count > 0)
            {
                // A validator that reads another section met a value there that doesn't bind: already said above.
            }
        }

        try
        {
            services.GetRequiredService<RunbookCatalog>();
        }
        catch (RunbookException e)
        {
            errors.Add(e.Message);
        }
        catch (OptionsValidationException) when (errors.Count > 0)
        {
            // Runbooks:Path itself is wrong: already said.
        }

        if (errors.Count == 0)
        {
            try
            {
                services.GetRequiredService<IIncidentStore>(); // opened now: a damaged or taken file is one line, not a trace later
            }
            catch (StorageException e)
            {
                errors.Add(e.Message);
            }
        }

        warnings.AddRange(LogFileWarnings(configuration));
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("IncidentBot.Settings");
        foreach (var warning in warnings)
        {
            log.LogWarning("Check this setting: {Warning}", warning);
        }

        if (errors.Count > 0)
        {
            throw new StartupProblems(errors.Distinct().ToList());
        }
    }

    /// <summary>Serilog's file sink fails silently when it can't write: say so at start-up (the bot still runs).</summary>
    private static IEnumerable<string> LogFileWarnings(IConfiguration configuration) =>
        configuration.GetSection("Serilog:WriteTo").GetChildren()
            .Select(sink => (Key: sink.GetSection("Args:path").Path, Path: sink["Args:path"]))
            .Where(s => !string.IsNullOrWhiteSpace(s.Path))
            .Select(s => (s.Key, s.Path, Problem: WritableFolder.Problem(Path.GetDirectoryName(Path.GetFullPath(s.Path!))!)))
            .Where(s => s.Problem is not null)
            .Select(s => $"{s.Key} is {s.Path}: {s.Problem}; the log file will not be written");

    private static IConfiguration Without(IConfiguration configuration, IReadOnlyList<string> keys) =>
        new ConfigurationBuilder().AddInMemoryCollection(configuration.AsEnumerable()
            .Where(kv => !keys.Any(k => string.Equals(kv.Key, k, StringComparison.OrdinalIgnoreCase) || kv.Key.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase))))
            .Build();
}
