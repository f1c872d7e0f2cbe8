using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace IncidentBot.Hosting;

/// <summary>
/// Checks the keys under a section against the shape they bind to, before the binder sees them: a key that is not a
/// property (a misspelling the binder would ignore) and a value that doesn't parse (the binder throws on a property and
/// silently drops a list item: that is how an escalation level used to vanish) are each one line naming the key.
/// </summary>
internal static class SettingsSchema
{
    /// <summary>Each problem: the key it is about (left out when the rest of the section is checked) and its line.</summary>
    public static IEnumerable<(string Key, string Line)> Check(IConfigurationSection section, Type shape) => Walk(section, shape);

    private static IEnumerable<(string Key, string Line)> Walk(IConfigurationSection node, Type type)
    {
        var children = node.GetChildren().ToList();
        if (IsScalar(type))
        {
            if (children.Count > 0)
            {
                yield return (node.Path, $"{node.Path} takes one value, but {children[0].Path} is set");
            }
            else if (node.Value is { } value && Unparsable(type, value) is { } problem)
            {
                yield return (node.Path, $"{node.Path} is '{value}': {problem}");
            }

            yield break;
        }

        if (children.Count == 0 && !string.IsNullOrEmpty(node.Value))
        {
            yield return (node.Path, $"{node.Path} is '{node.Value}', but it is a section: set keys under it ({node.Path}:...)");
            yield break;
        }

        var (item, keyed) = ItemType(type);
        foreach (var child in children)
        {
            if (item is not null)
            {
                if (!keyed && !int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return (child.Path, $"{child.Path} is not a list position; a list's keys are 0, 1, 2, ...");
                    continue;
                }

                foreach (var problem in Walk(child, item))
                {
                    yield return problem;
                }

                continue;
            }

            var property = Settable(type).FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var nearest = Nearest(child.Key, Settable(type).Select(p => p.Name));
                yield return (child.Path, $"{child.Path} is not a setting{(nearest is null ? "" : $" (did you mean {ParentPath(child)}{nearest}?)")}; the settings here are {string.Join(", ", Settable(type).Select(p => p.Name))}");
                continue;
            }

            foreach (var problem in Walk(child, property.PropertyType))
            {
                yield return problem;
            }
        }
    }

    private static string ParentPath(IConfigurationSection child) => child.Path[..^child.Key.Length];

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Uri) || t == typeof(Guid);
    }

    /// <summary>The item type of a list, array or dictionary (keyed: a dictionary, any key), or null for a class.</summary>
    private static (Type? Item, bool Keyed) ItemType(Type type)
    {
        if (type.IsArray)
        {
            return (type.GetElementType(), false);
        }

        var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return (dictionary.GetGenericArguments()[1], true);
        }

        var enumerable = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable is not null && typeof(IEnumerable).IsAssignableFrom(type) ? (enumerable.GetGenericArguments()[0], false) : (null, false);
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || (p.GetMethod is not null && !IsScalar(p.PropertyType))));

    private static string? Unparsable(Type type, string value)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        var t = nullable ?? type;
        if (t == typeof(string) || (value.Length == 0 && nullable is not null))
        {
            return null;
        }

        if (value.Length == 0)
        {
            return "it is empty; leave the key out to use the default";
        }

        try
        {
            TypeDescriptor.GetConverter(t).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException || e.InnerException is FormatException or OverflowException)
        {
            return Expected(t);
        }
    }

    private static string Expected(Type t) =>
        t == typeof(bool) ? "use true or false"
        : t == typeof(TimeSpan) ? "not a duration; write hh:mm:ss (00:15:00 is fifteen minutes, 1.00:00:00 one day)"
        : t == typeof(int) || t == typeof(long) || t == typeof(short) ? "not a whole number"
        : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? "not a number (use a dot for decimals, e.g. 0.5)"
        : t.IsEnum ? $"use one of {string.Join(", ", Enum.GetNames(t))}"
        : $"can't be read as {t.Name}";

    /// <summary>The known name closest to a misspelling (at most a third of its letters off), if any.</summary>
    private static string? Nearest(string key, IEnumerable<string> names) =>
        names.Select(n => (Name: n, Distance: Distance(key.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, x.Name.Length / 3))
            .OrderBy(x => x.Distance)
            .Select(x => x.Name)
            .FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
