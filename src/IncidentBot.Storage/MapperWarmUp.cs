using System.Collections;
using LiteDB;

namespace IncidentBot.Storage;

/// <summary>
/// LiteDB 5.0.21 builds the mapping of each class the first time it meets it, and a second thread can read a mapping
/// still being built ("Collection was modified", LiteDB issues #2536 and #2565; fixed only after 5.0.21). With the
/// deadline scheduler and a chat surface reading incidents at the same time, that happens at start-up. So every class
/// an incident document can hold is mapped here, once, on one thread: a sample with every list and object filled in
/// goes through the mapper both ways.
/// </summary>
internal static class MapperWarmUp
{
    public static void Run(BsonMapper mapper, params Type[] types)
    {
        foreach (var type in types)
        {
            var sample = Sample(type, depth: 0);
            if (sample is not null)
            {
                mapper.Deserialize(type, mapper.Serialize(type, sample));
            }
        }
    }

    private static object? Sample(Type type, int depth)
    {
        if (depth > 6 || type == typeof(string) || !type.IsClass || type.GetConstructor(Type.EmptyTypes) is null)
        {
            return null;
        }

        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                var list = (IList)Activator.CreateInstance(propertyType)!;
                if (Sample(propertyType.GetGenericArguments()[0], depth + 1) is { } item)
                {
                    list.Add(item);
                }

                property.SetValue(instance, list);
            }
            else if (Sample(propertyType, depth + 1) is { } child)
            {
                property.SetValue(instance, child);
            }
        }

        return instance;
    }
}
