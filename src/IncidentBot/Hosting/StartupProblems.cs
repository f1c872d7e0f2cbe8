using System.Text.Json;
using System.Text.RegularExpressions;

namespace IncidentBot.Hosting;

/// <summary>
/// Why the bot can't start, one line per problem (each names the key, file or process), all found at once. The
/// program prints each line without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed partial class StartupProblems(IReadOnlyList<string> lines) : Exception(string.Join(Environment.NewLine, lines))
{
    /// <summary>EX_CONFIG from sysexits.h: the service manager should not restart into the same mistake.</summary>
    public const int ExitCode = 78;

    public IReadOnlyList<string> Lines { get; } = lines;

    /// <summary>A configuration file that isn't JSON, as thrown while the host builder loads it, as one line; else null.</summary>
    public static StartupProblems? FromConfigurationFile(Exception e)
    {
        if (e is not InvalidDataException { InnerException: { } inner } || FindJson(inner) is not { } json)
        {
            return null;
        }

        var file = FileName().Match(e.Message) is { Success: true } m ? Path.GetFileName(m.Groups[1].Value) : "a configuration file";
        var where = json.LineNumber is { } line ? $" at line {line + 1}, character {json.BytePositionInLine + 1}" : "";
        return new StartupProblems([$"{file} is not valid JSON{where}: {Reason(json.Message)}"]);
    }

    private static JsonException? FindJson(Exception? e) => e switch
    {
        null => null,
        JsonException json => json,
        _ => FindJson(e.InnerException),
    };

    /// <summary>The reader's sentence without its own position suffix (the line says where).</summary>
    private static string Reason(string message) => message.Split(" LineNumber:", 2)[0].Trim().TrimEnd('.');

    [GeneratedRegex("file '([^']+)'")]
    private static partial Regex FileName();
}
