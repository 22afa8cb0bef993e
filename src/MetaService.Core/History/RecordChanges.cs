using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.Records;

namespace MetaService.Core.History;

/// <summary>
/// The field-level changes between two records, as JSON paths of the stored record (<c>environment.A</c>,
/// <c>rootfs.storageInfo.accessKey</c>): objects are compared member by member, arrays and values as a whole. Secret
/// members (every environment value, the rootfs storage keys, the S3 <c>token</c>, any <c>user_agency</c> member) never
/// leave with their values: a change of one says only <see cref="Changed"/>.
/// </summary>
public static class RecordChanges
{
    public const string Changed = "changed";

    public const string Add = "add";
    public const string Remove = "remove";
    public const string Replace = "replace";

    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/> (either may be null: nothing).</summary>
    public static List<HistoryChange> Between(FunctionRecord? before, FunctionRecord? after)
    {
        var changes = new List<HistoryChange>();
        Compare(ToNode(before) ?? new JsonObject(), ToNode(after) ?? new JsonObject(), [], changes);
        return changes;
    }

    /// <summary>The changes between two JSON objects, with paths below <paramref name="root"/> (<c>aliases.prod</c>): what
    /// history keeps of a write of something other than a function record (an alias).</summary>
    public static List<HistoryChange> Between(JsonObject? before, JsonObject? after, string root)
    {
        var changes = new List<HistoryChange>();
        Compare(before ?? new JsonObject(), after ?? new JsonObject(), [.. root.Split('.')], changes);
        return changes;
    }

    /// <summary>What a masked secret shows in a snapshot (as in a viewer's answers).</summary>
    public const string Hidden = "******";

    /// <summary>The record as JSON with every secret value replaced by <see cref="Hidden"/>: what an answer may show.</summary>
    public static JsonNode? Mask(FunctionRecord? record) => Redact(ToNode(record), [], Hidden);

    private static JsonObject? ToNode(FunctionRecord? record) =>
        record is null ? null : JsonSerializer.SerializeToNode(record, MetaJson.Default.FunctionRecord) as JsonObject;

    private static void Compare(JsonNode? from, JsonNode? to, List<string> path, List<HistoryChange> changes)
    {
        if (from is JsonObject a && to is JsonObject b)
        {
            foreach (var (name, value) in a)
            {
                path.Add(name);
                if (b.TryGetPropertyValue(name, out var other))
                {
                    Compare(value, other, path, changes);
                }
                else
                {
                    changes.Add(new HistoryChange(Join(path), Remove, Redact(value, path, Changed), null));
                }

                path.RemoveAt(path.Count - 1);
            }

            foreach (var (name, value) in b)
            {
                if (!a.ContainsKey(name))
                {
                    path.Add(name);
                    changes.Add(new HistoryChange(Join(path), Add, null, Redact(value, path, Changed)));
                    path.RemoveAt(path.Count - 1);
                }
            }

            return;
        }

        if (!JsonNode.DeepEquals(from, to))
        {
            changes.Add(new HistoryChange(Join(path), Replace, Redact(from, path, Changed), Redact(to, path, Changed)));
        }
    }

    /// <summary>A copy of <paramref name="node"/> (at <paramref name="path"/>) with every secret value replaced.</summary>
    private static JsonNode? Redact(JsonNode? node, List<string> path, string replacement)
    {
        if (IsSecret(path))
        {
            // An empty secret says only that none is set.
            return node is null ? null : node is JsonValue value && value.TryGetValue(out string? text) && text.Length == 0 ? node.DeepClone() : JsonValue.Create(replacement);
        }

        if (node is not JsonObject members)
        {
            return node?.DeepClone();
        }

        var copy = new JsonObject();
        foreach (var (name, value) in members)
        {
            path.Add(name);
            copy[name] = Redact(value, path, replacement);
            path.RemoveAt(path.Count - 1);
        }

        return copy;
    }

    /// <summary>Whether the member at <paramref name="path"/> holds a secret (its value, or every value below it).</summary>
    public static bool IsSecret(IReadOnlyList<string> path)
    {
        if (path.Any(p => p.Equals("user_agency", StringComparison.OrdinalIgnoreCase) || p.Equals("userAgency", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return path switch
        {
            ["environment", _, ..] => true,
            ["rootfs", "storageInfo", "accessKey" or "secretKey", ..] => true,
            ["s3CodePath", "token", ..] => true,
            _ => false,
        };
    }

    private static string Join(List<string> path) => string.Join('.', path);
}