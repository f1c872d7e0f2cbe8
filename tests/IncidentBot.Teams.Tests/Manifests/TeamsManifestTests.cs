using System.IO.Compression;
using System.Text.Json.Nodes;
using IncidentBot.Teams.Package;
using IncidentBot.Teams.Tests.Support;
using IncidentBot.Tests.Support;
using Json.Schema;

namespace IncidentBot.Teams.Tests.Manifests;

/// <summary>manifests/teams: the manifest validates against the Teams schema of the version it declares; the icons are what Teams asks for; the package holds the three files.</summary>
public sealed class TeamsManifestTests
{
    private static readonly string Folder = Path.Combine(Repo.Root, "manifests", "teams");

    [Fact]
    public void TheManifestIsValidAgainstTheSchemaOfTheVersionItDeclares()
    {
        var manifest = Manifest();
        Assert.Equal("1.22", (string?)manifest["manifestVersion"]);
        Assert.Equal("https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json", (string?)manifest["$schema"]);

        Assert.Empty(Problems(manifest));
    }

    [Fact]
    public void TheSchemaRefusesAManifestWithAFieldOfANewerVersionOrAWronglySpelledScope()
    {
        var newer = Manifest();
        newer["bots"]![0]!["supportsTargetedMessages"] = true; // 1.29 only
        Assert.NotEmpty(Problems(newer));

        var misspelt = Manifest();
        misspelt["bots"]![0]!["scopes"] = new JsonArray("team", "groupchat", "personal");
        Assert.NotEmpty(Problems(misspelt));
    }

    [Fact]
    public void TheBotWorksInTeamsGroupChatsAndPersonallyAndMayReadItsChannelsMessages()
    {
        var manifest = Manifest();
        var bot = manifest["bots"]![0]!;

        Assert.Equal(["team", "groupChat", "personal"], bot["scopes"]!.AsArray().Select(s => (string?)s));
        Assert.Contains(bot["commandLists"]!.AsArray(), l => l!["commands"]!.AsArray().Any(c => (string?)c!["title"] == "declare"));
        var permission = Assert.Single(manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray())!;
        Assert.Equal(("ChannelMessage.Read.Group", "Application"), ((string?)permission["name"], (string?)permission["type"]));
        Assert.Equal(("color.png", "outline.png"), ((string?)manifest["icons"]!["color"], (string?)manifest["icons"]!["outline"]));
    }

    [Fact]
    public void TheIconsAreA192PixelColourPngAndA32PixelWhiteOnTransparentOutline()
    {
        var color = Png.Read(Path.Combine(Folder, "color.png"));
        var outline = Png.Read(Path.Combine(Folder, "outline.png"));

        Assert.Equal((192, 192), (color.Width, color.Height));
        Assert.Equal((32, 32), (outline.Width, outline.Height));
        Assert.All(outline.Pixels, p => Assert.True(p.A == 0 || (p.R, p.G, p.B) == (255, 255, 255), $"outline pixel {p} is neither transparent nor white"));
        Assert.Contains(outline.Pixels, p => p.A == 255);
        Assert.Contains(outline.Pixels, p => p.A == 0);
    }

    [Fact]
    public void ThePackageIsAZipOfTheThreeFilesWithTheBotsAppIdFilledIn()
    {
        using var zip = new MemoryStream();

        TeamsPackage.Write(Folder, Some.AppId, zip);

        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(e => e.FullName).Order());
        using var reader = new StreamReader(archive.GetEntry("manifest.json")!.Open());
        var packed = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
        Assert.Equal(Some.AppId, (string?)packed["bots"]![0]!["botId"]);
        Assert.Equal(Some.AppId, (string?)packed["webApplicationInfo"]!["id"]);
        Assert.Empty(Problems(packed));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, "color.png")), ReadAll(archive.GetEntry("color.png")!));
    }

    [Fact]
    public void ThePackageCommandWritesTheZipAndRefusesSomethingThatIsNotAnAppId()
    {
        var output = Path.Combine(Path.GetTempPath(), "incidentbot-teams-tests", Guid.NewGuid().ToString("N"), "package.zip");
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Repo.Root);
        try
        {
            var said = new StringWriter();
            var errors = new StringWriter();
            Assert.Equal(0, TeamsPackage.Run([Some.AppId, output], said, errors));
            Assert.Contains(output, said.ToString(), StringComparison.Ordinal);
            using (var archive = ZipFile.OpenRead(output))
            {
                Assert.Equal(3, archive.Entries.Count);
            }

            Assert.Equal(1, TeamsPackage.Run(["not-a-guid", output], said, errors));
            Assert.Contains("'not-a-guid' is not a Microsoft App ID", errors.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
            Directory.Delete(Path.GetDirectoryName(output)!, recursive: true);
        }
    }

    private static JsonObject Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!.AsObject();

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        // The schema says draft-04 but uses const (draft-06); it uses no draft-04-only keyword, so it is read as draft-07.
        var schema = JsonNode.Parse(File.ReadAllText(Specs.File("teams-manifest/MicrosoftTeams.schema.v1.22.json")))!.AsObject();
        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        schema["$id"] = "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json";
        return JsonSchema.FromText(schema.ToJsonString());
    });

    private static List<string> Problems(JsonObject manifest)
    {
        var result = Schema.Value.Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid ? [] : (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }
}
