using System.Text;
using System.Text.Json;
using IncidentBot.Clerk.Api;

namespace IncidentBot.Clerk.Tests.Api;

public sealed class ClerkUserJsonTests
{
    // Shaped like the spec's User: properties the bot doesn't read, nested objects and arrays with their own "id",
    // "email_address" and "first_name" keys, and a primary email that is not the first.
    private const string Page = """
        [{"id":"user_2x","object":"user","external_id":null,"primary_email_address_id":"idn_b","primary_phone_number_id":null,
          "username":null,"first_name":"Ada","last_name":"Lovelace","image_url":"https://img.clerk.com/x","has_image":false,
          "public_metadata":{"id":"not_the_user","email_addresses":[{"id":"idn_b","email_address":"evil@example.com"}],"first_name":"Eve"},
          "private_metadata":{},"unsafe_metadata":{"nested":[[1,2,{"banned":true}],{"a":{"b":null}}]},
          "email_addresses":[
            {"id":"idn_a","object":"email_address","email_address":"old@example.com","reserved":false,
             "verification":{"object":"verification_otp","status":"verified","strategy":"email_code","attempts":1,"expire_at":1700000600000},
             "linked_to":[{"type":"oauth_google","id":"idn_g"}],"matches_sso_connection":false,"created_at":1700000000000,"updated_at":1700000000000},
            {"id":"idn_b","object":"email_address","email_address":"ada@example.com","reserved":false,"verification":null,"linked_to":[],
             "created_at":1700000000000,"updated_at":1700000000000}],
          "phone_numbers":[],"web3_wallets":[],"passkeys":[],"password_enabled":true,"two_factor_enabled":false,
          "external_accounts":[{"id":"eac_1","provider":"oauth_google","email_address":"ada@gmail.com","first_name":"A"}],
          "banned":false,"locked":true,"lockout_expires_in_seconds":1800,"created_at":1700000000000,"updated_at":1700000001000,
          "last_active_at":null,"legal_accepted_at":null},
         {"id":"user_3y","first_name":null,"last_name":null,"email_addresses":null,"primary_email_address_id":null,
          "banned":true,"locked":false,"password_enabled":false,"created_at":1700000002000,"last_active_at":1700000003000}]
        """;

    [Fact]
    public async Task AUserIsReadFieldByFieldWithEveryOtherPropertySkippedFromBytesAndFromAStreamReadInSmallPieces()
    {
        var fromBytes = JsonSerializer.Deserialize<List<ClerkUser>>(Encoding.UTF8.GetBytes(Page), ClerkJson.Options)!;
        // A stream read 16 bytes at a time hands the converter a reader that isn't the final block.
        var tiny = new JsonSerializerOptions(ClerkJson.Options) { DefaultBufferSize = 16 };
        var fromStream = (await JsonSerializer.DeserializeAsync<List<ClerkUser>>(new MemoryStream(Encoding.UTF8.GetBytes(Page)), tiny))!;

        foreach (var users in new[] { fromBytes, fromStream })
        {
            Assert.Equal(2, users.Count);
            var ada = users[0];
            Assert.Equal(("user_2x", "idn_b", "Ada", "Lovelace"), (ada.Id, ada.PrimaryEmailAddressId, ada.FirstName, ada.LastName));
            Assert.Equal("ada@example.com", ada.PrimaryEmail);
            Assert.Equal(["old@example.com", "ada@example.com"], ada.EmailAddresses!.Select(e => e.EmailAddress));
            Assert.Equal(["idn_a", "idn_b"], ada.EmailAddresses!.Select(e => e.Id));
            Assert.Equal((false, true, true, (long?)null, 1700000000000L), (ada.Banned, ada.Locked, ada.PasswordEnabled, ada.LastActiveAt, ada.CreatedAt));
            var other = users[1];
            Assert.Equal(("user_3y", (string?)null, (string?)null, (string?)null), (other.Id, other.FirstName, other.LastName, other.PrimaryEmail));
            Assert.Null(other.EmailAddresses);
            Assert.Equal((true, false, false, (long?)1700000003000L, 1700000002000L), (other.Banned, other.Locked, other.PasswordEnabled, other.LastActiveAt, other.CreatedAt));
        }
    }

    [Theory]
    [InlineData("""[{"id":"user_1","banned":"yes"}]""", "Clerk sent String where a user's true or false belongs")]
    [InlineData("""[{"id":"user_1","created_at":"yesterday"}]""", "Clerk sent String where a user's timestamp belongs")]
    [InlineData("""[{"id":17}]""", "Clerk sent Number where a user's string belongs")]
    [InlineData("""[{"first_name":"Ada"}]""", "Clerk sent a user without an id")]
    [InlineData("""[{"id":"user_1","email_addresses":{"id":"idn_1"}}]""", "Clerk sent StartObject where email_addresses belongs")]
    [InlineData("""["user_1"]""", "Clerk sent String where a user belongs")]
    public void AUserThatIsNotClerksShapeIsRefusedWithASentenceSayingWhatWasWrong(string json, string reason)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<List<ClerkUser>>(json, ClerkJson.Options));

        Assert.Contains(reason, e.Message + " " + e.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatItWritesItReadsBackTheSame()
    {
        var user = new ClerkUser("user_1", "idn_2", [new("idn_1", "a@example.com"), new("idn_2", "b@example.com")], true, false, true, null, 17, "Émile", null);

        var back = JsonSerializer.Deserialize<ClerkUser>(JsonSerializer.Serialize(user, ClerkJson.Options), ClerkJson.Options)!;

        Assert.Equal(user with { EmailAddresses = null }, back with { EmailAddresses = null });
        Assert.Equal(user.EmailAddresses, back.EmailAddresses);
    }
}
