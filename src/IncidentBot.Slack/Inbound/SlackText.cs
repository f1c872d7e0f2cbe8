using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// Makes what Slack sent safe to keep and to send on: a lone surrogate (half of a UTF-16 pair, which no encoder can
/// write) becomes U+FFFD, and control characters other than tab and line breaks are dropped. Nothing else changes.
/// </summary>
public static class SlackText
{
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
            else if (!IsUnwantedControl(c))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
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
                foreach (var (key, value) in obj.ToList())
                {
                    var cleanKey = Clean(key);
                    var cleanValue = Cleaned(value);
                    if (!ReferenceEquals(cleanKey, key))
                    {
                        obj.Remove(key);
                        obj[cleanKey] = cleanValue;
                    }
                    else if (cleanValue != value)
                    {
                        obj[key] = cleanValue;
                    }
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

    private static bool NeedsCleaning(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || IsUnwantedControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnwantedControl(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');
}
