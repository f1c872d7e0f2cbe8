using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentBot.Clerk.Api;

/// <summary>
/// Reads Clerk's User object straight off the reader into <see cref="ClerkUser"/>: the fields the bot uses, every
/// other property skipped unread. The serializer's own converter for a ten-parameter record boxed each value into an
/// argument array and kept a stack frame per nested object; a page of 500 users is parsed in a fraction of its time
/// (bench/IncidentBot.Sync.Bench, README "Data sync"). Property names are Clerk's snake_case, exactly.
/// </summary>
public sealed class ClerkUserJson : JsonConverter<ClerkUser>
{
    public override ClerkUser? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject, "a user");
        string? id = null, primaryEmailId = null, firstName = null, lastName = null;
        List<ClerkEmailAddress>? emails = null;
        bool banned = false, locked = false, passwordEnabled = false;
        long? lastActiveAt = null;
        long createdAt = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                id = String(ref reader);
            }
            else if (reader.ValueTextEquals("primary_email_address_id"u8))
            {
                primaryEmailId = String(ref reader);
            }
            else if (reader.ValueTextEquals("first_name"u8))
            {
                firstName = String(ref reader);
            }
            else if (reader.ValueTextEquals("last_name"u8))
            {
                lastName = String(ref reader);
            }
            else if (reader.ValueTextEquals("email_addresses"u8))
            {
                emails = Emails(ref reader);
            }
            else if (reader.ValueTextEquals("banned"u8))
            {
                banned = Bool(ref reader);
            }
            else if (reader.ValueTextEquals("locked"u8))
            {
                locked = Bool(ref reader);
            }
            else if (reader.ValueTextEquals("password_enabled"u8))
            {
                passwordEnabled = Bool(ref reader);
            }
            else if (reader.ValueTextEquals("last_active_at"u8))
            {
                lastActiveAt = Long(ref reader);
            }
            else if (reader.ValueTextEquals("created_at"u8))
            {
                createdAt = Long(ref reader) ?? 0;
            }
            else
            {
                Skip(ref reader);
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "the end of a user");
        return new ClerkUser(id ?? throw new JsonException("Clerk sent a user without an id"), primaryEmailId, emails, banned, locked, passwordEnabled,
            lastActiveAt, createdAt, firstName, lastName);
    }

    public override void Write(Utf8JsonWriter writer, ClerkUser value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, value.Id);
        writer.WriteString("object"u8, "user"u8);
        writer.WriteString("primary_email_address_id"u8, value.PrimaryEmailAddressId);
        writer.WriteString("first_name"u8, value.FirstName);
        writer.WriteString("last_name"u8, value.LastName);
        if (value.EmailAddresses is { } emails)
        {
            writer.WriteStartArray("email_addresses"u8);
            foreach (var e in emails)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, e.Id);
                writer.WriteString("object"u8, "email_address"u8);
                writer.WriteString("email_address"u8, e.EmailAddress);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("email_addresses"u8);
        }

        writer.WriteBoolean("banned"u8, value.Banned);
        writer.WriteBoolean("locked"u8, value.Locked);
        writer.WriteBoolean("password_enabled"u8, value.PasswordEnabled);
        if (value.LastActiveAt is { } active)
        {
            writer.WriteNumber("last_active_at"u8, active);
        }
        else
        {
            writer.WriteNull("last_active_at"u8);
        }

        writer.WriteNumber("created_at"u8, value.CreatedAt);
        writer.WriteEndObject();
    }

    private static List<ClerkEmailAddress>? Emails(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, "email_addresses");
        var emails = new List<ClerkEmailAddress>(2);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? id = null, address = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    id = String(ref reader);
                }
                else if (reader.ValueTextEquals("email_address"u8))
                {
                    address = String(ref reader);
                }
                else
                {
                    Skip(ref reader);
                }
            }

            Expect(ref reader, JsonTokenType.EndObject, "the end of an email address");
            emails.Add(new ClerkEmailAddress(id!, address!));
        }

        Expect(ref reader, JsonTokenType.EndArray, "the end of email_addresses");
        return emails;
    }

    private static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"Clerk sent {reader.TokenType} where a user's string belongs"),
        };
    }

    private static bool Bool(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            _ => throw new JsonException($"Clerk sent {reader.TokenType} where a user's true or false belongs"),
        };
    }

    private static long? Long(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.GetInt64(),
            _ => throw new JsonException($"Clerk sent {reader.TokenType} where a user's timestamp belongs"),
        };
    }

    /// <summary>
    /// Past a property's value, whatever it is. The serializer hands a converter its whole value read ahead, but on a
    /// reader that isn't the final block, where only TrySkip may be used.
    /// </summary>
    private static void Skip(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || !reader.TrySkip())
        {
            throw new JsonException("Clerk's user ended in the middle of a value");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string what)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"Clerk sent {reader.TokenType} where {what} belongs");
        }
    }
}
