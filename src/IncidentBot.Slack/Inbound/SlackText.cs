using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Makes what Slack sent safe to keep and to send on: a lone surrogate (half of a UTF-16 pair, which no encoder can
/// write) becomes U+FFFD; control characters other than tab and line breaks are dropped; and a typed <c>@[</c>, the
/// core's marker for a roster mention (<c>@[carol]</c>), gets an invisible U+2060 WORD JOINER between its two
/// characters, so someone's title or note can never become a mention the bot sends. Nothing else changes.
/// </summary>
public static class SlackText
{
    /// <summary>U+2060 WORD JOINER: invisible, and breaks <c>@[</c> apart.</summary>
    public const char MentionBreak = '\u2060';

    public static string Clean(string text)
    {
        if (!NeedsCleaning(text))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
            }
            else if (c == '[' && clean.Length > 0 && clean[^1] == '@')
            {
                clean.Append(MentionBreak).Append(c);
            }
            else if (!IsUnwantedControl(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary>
    /// Parses a JSON object as Slack sent it, cleaned: escaped lone surrogates (<c>\ud83d</c> without its pair, which
    /// System.Text.Json refuses to read as a string) become <c>\ufffd</c> first, then every string is cleaned.
    /// Invalid UTF-8 becomes U+FFFD. Null for anything that is not a JSON object.
    /// </summary>
    public static JsonObject? ParseObject(byte[] utf8)
    {
        // Invalid UTF-8 inside a string is only found when the string is read: decoded with replacement first.
        var valid = WithoutLoneSurrogateEscapes(System.Text.Unicode.Utf8.IsValid(utf8) ? utf8 : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8)));
        try
        {
            // A property given twice is refused while parsing. Most payloads have nothing to clean: one pass of the
            // reader says so, and the parsed object is then left as it is (its nodes are made only when read).
            var parsed = JsonNode.Parse(valid, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return parsed is not JsonObject json ? null : AnythingToClean(valid) ? Clean(json) : json;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Found lazily, when a node is first read (cleaning reads every one, so here): InvalidOperationException
            // for a string System.Text.Json can't read, ArgumentException for a property name given twice.
            return null;
        }
    }

    /// <summary>Whether any string or property name in the (valid, parsed once already) JSON needs <see cref="Clean(string)"/>.</summary>
    private static bool AnythingToClean(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
            {
                continue;
            }

            if (reader.ValueIsEscaped ? NeedsCleaning(reader.GetString()!) : RawNeedsCleaning(reader.ValueSpan))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An unescaped JSON string as UTF-8 (so valid, no surrogates, no C0 controls): a DEL, a C1 control (U+0080 to
    /// U+009F, <c>C2 80</c> to <c>C2 9F</c>) or a typed <c>@[</c> is what <see cref="Clean(string)"/> would change.
    /// </summary>
    private static bool RawNeedsCleaning(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOf("@["u8) >= 0 || utf8.IndexOf((byte)0x7F) >= 0)
        {
            return true;
        }

        for (var at = utf8.IndexOf((byte)0xC2); at >= 0 && at + 1 < utf8.Length; at = utf8[(at + 1)..].IndexOf((byte)0xC2) is var next and >= 0 ? at + 1 + next : -1)
        {
            if (utf8[at + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same bytes with every <c>\uD800</c>-<c>\uDFFF</c> escape that is not half of a pair replaced by <c>\uFFFD</c> (same length).</summary>
    public static byte[] WithoutLoneSurrogateEscapes(byte[] utf8)
    {
        byte[]? copy = null;
        var inString = false;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (!inString)
            {
                inString = b == (byte)'"';
                continue;
            }

            if (b == (byte)'"')
            {
                inString = false;
            }
            else if (b == (byte)'\\' && i + 1 < utf8.Length)
            {
                if (utf8[i + 1] == (byte)'u' && Hex(utf8, i + 2) is { } unit && char.IsSurrogate((char)unit))
                {
                    var paired = char.IsHighSurrogate((char)unit) && i + 11 < utf8.Length && utf8[i + 6] == (byte)'\\' && utf8[i + 7] == (byte)'u'
                        && Hex(utf8, i + 8) is { } low && char.IsLowSurrogate((char)low);
                    if (paired)
                    {
                        i += 11;
                        continue;
                    }

                    copy ??= (byte[])utf8.Clone();
                    "\\ufffd"u8.CopyTo(copy.AsSpan(i));
                    i += 5;
                    continue;
                }

                i++; // whatever is escaped, including a quote or a backslash
            }
        }

        return copy ?? utf8;
    }

    /// <summary>Cleans every string (and property name) in <paramref name="json"/>, in place; returns it.</summary>
    public static JsonObject Clean(JsonObject json)
    {
        CleanNode(json);
        return json;
    }

    private static void CleanNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // Changed after the walk (an object can't change while it is walked), and only what needs it.
                List<(string Key, string CleanKey, JsonNode? CleanValue)>? changes = null;
                foreach (var (key, value) in obj)
                {
                    var cleanKey = Clean(key);
                    var cleanValue = Cleaned(value);
                    if (!ReferenceEquals(cleanKey, key) || cleanValue != value)
                    {
                        (changes ??= []).Add((key, cleanKey, cleanValue));
                    }
                }

                foreach (var (key, cleanKey, cleanValue) in changes ?? [])
                {
                    if (!ReferenceEquals(cleanKey, key))
                    {
                        obj.Remove(key);
                    }

                    obj[cleanKey] = cleanValue;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var value = array[i];
                    var cleanValue = Cleaned(value);
                    if (cleanValue != value)
                    {
                        array[i] = cleanValue;
                    }
                }

                break;
        }
    }

    /// <summary>The node itself when nothing in it changed (containers are cleaned in place), else a cleaned string value.</summary>
    private static JsonNode? Cleaned(JsonNode? node)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            var clean = Clean(text);
            return ReferenceEquals(clean, text) ? node : JsonValue.Create(clean);
        }

        CleanNode(node);
        return node;
    }

    private static int? Hex(byte[] utf8, int at)
    {
        if (at + 4 > utf8.Length)
        {
            return null;
        }

        var value = 0;
        for (var i = at; i < at + 4; i++)
        {
            var digit = utf8[i] switch
            {
                >= (byte)'0' and <= (byte)'9' => utf8[i] - '0',
                >= (byte)'a' and <= (byte)'f' => utf8[i] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => utf8[i] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return null;
            }

            value = (value * 16) + digit;
        }

        return value;
    }

    private static bool NeedsCleaning(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || IsUnwantedControl(c) || (c == '[' && i > 0 && text[i - 1] == '@'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnwantedControl(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');
}
