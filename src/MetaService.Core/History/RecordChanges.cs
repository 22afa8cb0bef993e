using System.Buffers;
using System.Runtime.InteropServices;
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
    public static List<HistoryChange> Between(FunctionRecord? before, FunctionRecord? after) => Between(Encode(before), Encode(after), []);

    /// <summary>The changes between two JSON objects, with paths below <paramref name="root"/> (<c>aliases.prod</c>): what
    /// history keeps of a write of something other than a function record (an alias).</summary>
    public static List<HistoryChange> Between(JsonObject? before, JsonObject? after, string root) =>
        Between(Encode(before), Encode(after), root.Split('.'));

    /// <summary>The changes between two JSON objects already serialized as <see cref="MetaJson"/> writes records (null:
    /// nothing), with paths below <paramref name="root"/>. Equal members are skipped by their bytes, so an update that
    /// changes one field costs one read through each and only its changed values become <see cref="JsonNode"/>s.</summary>
    internal static List<HistoryChange> Between(byte[]? before, byte[]? after, IEnumerable<string> root)
    {
        var changes = new List<HistoryChange>();
        CompareObjects(before ?? EmptyObject, after ?? EmptyObject, [.. root], changes);
        return changes;
    }

    /// <summary>The bytes a snapshot stores and <see cref="Between(byte[], byte[], IEnumerable{string})"/> compares.</summary>
    internal static byte[]? Encode(FunctionRecord? record) =>
        record is null ? null : JsonSerializer.SerializeToUtf8Bytes(record, MetaJson.Default.FunctionRecord);

    /// <summary>What a masked secret shows in a snapshot (as in a viewer's answers).</summary>
    public const string Hidden = "******";

    /// <summary>The record as JSON with every secret value replaced by <see cref="Hidden"/>: what an answer may show.</summary>
    public static JsonNode? Mask(FunctionRecord? record) =>
        Redact(record is null ? null : JsonSerializer.SerializeToNode(record, MetaJson.Default.FunctionRecord), [], Hidden);

    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private static byte[]? Encode(JsonObject? node)
    {
        if (node is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Two serialized objects, member by member. Records of one type write their members in the same order, so both are
    /// read side by side while the names agree: a value equal to its counterpart byte for byte is skipped without being
    /// decoded, and only differing values are parsed. From the first disagreement in order, the object is compared by
    /// name instead (<see cref="CompareByName"/>).
    /// </summary>
    private static void CompareObjects(ReadOnlyMemory<byte> from, ReadOnlyMemory<byte> to, List<string> path, List<HistoryChange> changes)
    {
        var start = changes.Count;
        var left = new Utf8JsonReader(from.Span);
        var right = new Utf8JsonReader(to.Span);
        left.Read();
        right.Read();
        while (left.Read() && right.Read())
        {
            if (left.TokenType == JsonTokenType.EndObject && right.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            if (left.TokenType != JsonTokenType.PropertyName || right.TokenType != JsonTokenType.PropertyName || !left.ValueSpan.SequenceEqual(right.ValueSpan))
            {
                break;
            }

            var name = (int)left.TokenStartIndex;
            var a = ValueOf(ref left, from);
            var b = ValueOf(ref right, to);
            if (!a.Span.SequenceEqual(b.Span))
            {
                path.Add(NameAt(from, name));
                CompareValues(a, b, path, changes);
                path.RemoveAt(path.Count - 1);
            }
        }

        changes.RemoveRange(start, changes.Count - start);
        using var before = JsonDocument.Parse(from);
        using var after = JsonDocument.Parse(to);
        CompareByName(before.RootElement, after.RootElement, path, changes);
    }

    private static void CompareValues(ReadOnlyMemory<byte> from, ReadOnlyMemory<byte> to, List<string> path, List<HistoryChange> changes)
    {
        if (from.Span[0] == (byte)'{' && to.Span[0] == (byte)'{')
        {
            CompareObjects(from, to, path, changes);
            return;
        }

        var before = JsonNode.Parse(from.Span);
        var after = JsonNode.Parse(to.Span);
        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add(new HistoryChange(Join(path), Replace, Redact(before, path, Changed), Redact(after, path, Changed)));
        }
    }

    /// <summary>The value after the property name <paramref name="reader"/> is on, as its bytes in <paramref name="source"/>.</summary>
    private static ReadOnlyMemory<byte> ValueOf(ref Utf8JsonReader reader, ReadOnlyMemory<byte> source)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return source[start..(int)reader.BytesConsumed];
    }

    private static string NameAt(ReadOnlyMemory<byte> source, int start)
    {
        var reader = new Utf8JsonReader(source.Span[start..]);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Two objects whose members are not in the same order: matched by name.</summary>
    private static void CompareByName(JsonElement from, JsonElement to, List<string> path, List<HistoryChange> changes)
    {
        var others = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in to.EnumerateObject())
        {
            others.TryAdd(member.Name, member.Value);
        }

        foreach (var member in from.EnumerateObject())
        {
            path.Add(member.Name);
            if (others.Remove(member.Name, out var other))
            {
                if (!JsonMarshal.GetRawUtf8Value(member.Value).SequenceEqual(JsonMarshal.GetRawUtf8Value(other)))
                {
                    CompareValues(Raw(member.Value), Raw(other), path, changes);
                }
            }
            else
            {
                changes.Add(new HistoryChange(Join(path), Remove, Redact(Node(member.Value), path, Changed), null));
            }

            path.RemoveAt(path.Count - 1);
        }

        foreach (var member in to.EnumerateObject())
        {
            if (others.Remove(member.Name))
            {
                path.Add(member.Name);
                changes.Add(new HistoryChange(Join(path), Add, null, Redact(Node(member.Value), path, Changed)));
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private static ReadOnlyMemory<byte> Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(JsonMarshal.GetRawUtf8Value(element));

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

    /// <summary>About how many bytes <paramref name="changes"/> hold in memory (what a cache of them counts).</summary>
    internal static long Cost(IReadOnlyCollection<HistoryChange> changes) =>
        32 + changes.Sum(c => 64 + (2L * (c.Path.Length + c.Op.Length)) + NodeCost(c.From) + NodeCost(c.To));

    private static long NodeCost(JsonNode? node) => node switch
    {
        null => 0,
        JsonObject members => 64 + members.Sum(m => 48 + (2L * m.Key.Length) + NodeCost(m.Value)),
        JsonArray items => 48 + items.Sum(i => 8 + NodeCost(i)),
        JsonValue value when value.TryGetValue(out string? text) => 48 + (2L * text.Length),
        _ => 48,
    };

    private static string Join(List<string> path) => string.Join('.', path);
}