using System.Diagnostics;
using System.Text.Json;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Sync.Bench;

/// <summary>
/// Parsing alone, A against B in one process: the same page of 500 users (LeanClerk's, and the sandbox-sized one
/// with every property Clerk sends) parsed into <see cref="ClerkUser"/> by its converter (<see cref="ClerkUserJson"/>)
/// and into <see cref="PlainUser"/>, the same record without it (the serializer's own converter, as before).
/// </summary>
public static class ParseAb
{
    public static async Task RunAsync(int rounds)
    {
        await using var clerk = await LeanClerk.StartAsync(1000, null);
        using var http = new HttpClient();
        foreach (var full in new[] { false, true })
        {
            var body = await http.GetByteArrayAsync(clerk.ApiUrl + "users?limit=500" + (full ? "&full=true" : ""));
            Console.WriteLine($"page of 500 users, {body.Length / 1024} KB ({(full ? "every property Clerk sends" : "lean")})");
            for (var round = 1; round <= rounds; round++)
            {
                var plainStreamed = Time(() => JsonSerializer.DeserializeAsync<List<PlainUser>>(new MemoryStream(body), ClerkJson.Options).AsTask().Result!.Count);
                var streamed = Time(() => JsonSerializer.DeserializeAsync<List<ClerkUser>>(new MemoryStream(body), ClerkJson.Options).AsTask().Result!.Count);
                var plain = Time(() => JsonSerializer.Deserialize<List<PlainUser>>(body, ClerkJson.Options)!.Count);
                var converter = Time(() => JsonSerializer.Deserialize<List<ClerkUser>>(body, ClerkJson.Options)!.Count);
                Console.WriteLine($"  round {round}: from a stream (as ReadFromJsonAsync): serializer's converter {plainStreamed:N0} users/s, ClerkUserJson {streamed:N0}; " +
                                  $"from the bytes in memory: serializer's converter {plain:N0}, ClerkUserJson {converter:N0}");
            }
        }
    }

    private static double Time(Func<int> parse)
    {
        for (var i = 0; i < 20; i++)
        {
            parse();
        }

        var start = Stopwatch.GetTimestamp();
        var users = 0;
        for (var i = 0; i < 200; i++)
        {
            users += parse();
        }

        return users / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>ClerkUser's shape without its converter.</summary>
    public sealed record PlainUser(
        string Id, string? PrimaryEmailAddressId, IReadOnlyList<ClerkEmailAddress>? EmailAddresses, bool Banned, bool Locked, bool PasswordEnabled,
        long? LastActiveAt, long CreatedAt, string? FirstName = null, string? LastName = null);
}
