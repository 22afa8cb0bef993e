using System.Collections;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MetaService.Core.Functions;

/// <summary>
/// The JSON a function record is stored as: <see cref="MetaJson"/>'s, without the members that hold exactly what a
/// reader makes of a missing one (an empty string where the default is one, 0, false, null, an empty map, the empty
/// root file system, the default scaling config). A typical draft is half the bytes, and so is what every write, log
/// and watch event carries for it: most of the CPU etcd spends on an update goes with its bytes. Reading is
/// <see cref="MetaJson"/>'s own, so every member comes back as it was, and records stored whole before read the same.
/// </summary>
internal static class StoredJson
{
    private static readonly JsonTypeInfo<FunctionRecord> Record = (JsonTypeInfo<FunctionRecord>)new JsonSerializerOptions(MetaJson.Default.Options)
    {
        TypeInfoResolver = MetaJson.Default.WithAddedModifier(OmitAssumedMembers),
    }.GetTypeInfo(typeof(FunctionRecord));

    public static byte[] Encode(FunctionRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Record);

    /// <summary>Makes every member of an object type that a reader can do without (not required, and equal to what
    /// reading an object without it gives) skipped when written.</summary>
    private static void OmitAssumedMembers(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || Unwritten(type) is not { } assumed)
        {
            return;
        }

        foreach (var member in type.Properties)
        {
            if (member.IsRequired || member.Get is null || member.Set is null)
            {
                continue;
            }

            var missing = member.Get(assumed);
            member.ShouldSerialize = (_, value) => !IsAssumed(value, missing);
        }
    }

    /// <summary>What a reader makes of an object of <paramref name="type"/> that has only its required members (as
    /// empty strings, or 0); null when it cannot read such an object (nothing of the type is then left out). Members
    /// without a setter (computed ones, which a reader ignores) are always written, as before.</summary>
    private static object? Unwritten(JsonTypeInfo type)
    {
        var json = new StringBuilder("{");
        foreach (var member in type.Properties.Where(p => p.IsRequired))
        {
            json.Append(json.Length > 1 ? ",\"" : "\"").Append(JsonEncodedText.Encode(member.Name)).Append("\":").Append(member.PropertyType == typeof(string) ? "\"\"" : "0");
        }

        try
        {
            return JsonSerializer.Deserialize(json.Append('}').ToString(), type.Type, MetaJson.Default);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsAssumed(object? value, object? missing) => value switch
    {
        null => missing is null,
        ICollection written when missing is ICollection read => written.Count == 0 && read.Count == 0,
        _ => value.Equals(missing),
    };
}