using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Teams.Package;

/// <summary>
/// The Teams app package: a zip of manifests/teams/manifest.json (with the bot's app id filled in) and its two icons
/// at the zip's root, ready for "Upload a custom app" in Teams or the Developer Portal.
/// </summary>
public static class TeamsPackage
{
    public static readonly string[] Files = ["manifest.json", "color.png", "outline.png"];

    /// <summary>Writes the package for the bot <paramref name="appId"/> (its Microsoft App ID) to <paramref name="output"/>.</summary>
    public static void Write(string manifestFolder, string appId, Stream output)
    {
        if (!Guid.TryParse(appId, out var id))
        {
            throw new ArgumentException($"'{appId}' is not a Microsoft App ID (a GUID): use the Azure Bot's app id", nameof(appId));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(manifestFolder, "manifest.json")))!.AsObject();
        foreach (var bot in manifest["bots"]!.AsArray())
        {
            bot!["botId"] = id.ToString();
        }

        if (manifest["webApplicationInfo"] is JsonObject web)
        {
            web["id"] = id.ToString(); // resource-specific consent (ChannelMessage.Read.Group) is granted to the bot's app
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        using (var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open()))
        {
            writer.Write(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        foreach (var icon in Files.Skip(1))
        {
            using var entry = zip.CreateEntry(icon).Open();
            using var file = File.OpenRead(Path.Combine(manifestFolder, icon));
            file.CopyTo(entry);
        }
    }

    /// <summary>
    /// <c>incidentbot teams-package [app id] [output.zip]</c>: the app id defaults to MicrosoftAppId or Teams__AppId
    /// from the environment, the output to data/incidentbot-teams.zip. Returns the exit code.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var appId = args.ElementAtOrDefault(0) ?? Environment.GetEnvironmentVariable("MicrosoftAppId") ?? Environment.GetEnvironmentVariable("Teams__AppId") ?? "";
        var path = Path.GetFullPath(args.ElementAtOrDefault(1) ?? Path.Combine("data", "incidentbot-teams.zip"));
        var folder = Path.Combine("manifests", "teams");
        if (appId.Length == 0)
        {
            error.WriteLine("teams-package needs the bot's Microsoft App ID: teams-package <app id> [output.zip] (or set MicrosoftAppId)");
            return 2;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var file = File.Create(path))
            {
                Write(folder, appId, file);
            }

            output.WriteLine($"Teams app package for bot {appId}: {path} ({string.Join(", ", Files)})");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine($"teams-package failed: {e.Message}");
            return 1;
        }
    }
}
