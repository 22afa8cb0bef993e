using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Core.Records;
using MetaService.Core.Storage;

namespace MetaService.Core.History;

/// <summary>
/// An entry as the append log stores it: only what its row does not hold already, in one-letter members, since every
/// byte of it is written once per write. The row holds the time, and its key the tenant and the function's name
/// (<see cref="HistoryKeys.Stream"/>); the changes are stored only when they are not made from the records the log keeps
/// with the row (<see cref="HistoryLog"/>). Rows appended before this layout hold a whole <see cref="StoredEntry"/>, and
/// are read as such.
/// </summary>
public sealed record AppendedEntry(
    [property: JsonPropertyName("o")] string Operation,
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("b")] string RevisionIdBefore,
    [property: JsonPropertyName("a")] string RevisionIdAfter,
    [property: JsonPropertyName("p")] string Principal,
    [property: JsonPropertyName("r")] string RemoteAddress,
    [property: JsonPropertyName("t")] string TraceId,
    [property: JsonPropertyName("c"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<HistoryChange>? Changes)
{
    /// <summary>The bytes appended for <paramref name="entry"/>; <paramref name="derived"/>: its changes are made when read.</summary>
    public static byte[] Encode(HistoryEntry entry, bool derived) => JsonSerializer.SerializeToUtf8Bytes(
        new AppendedEntry(entry.Operation, entry.Version, entry.RevisionIdBefore, entry.RevisionIdAfter, entry.Actor.Principal, entry.Actor.RemoteAddress, entry.TraceId, derived ? null : entry.Changes),
        HistoryJson.Default.AppendedEntry);

    /// <summary>The entry <paramref name="row"/> of <paramref name="tenant"/>'s log holds, with whether its changes are made
    /// when read.</summary>
    public static StoredEntry Decode(Appended row, Tenant tenant)
    {
        // A row of the earlier layout: the whole entry, under "entry" (no member of this layout is named so).
        if (row.Value.AsSpan().StartsWith("{\"entry\""u8))
        {
            return JsonSerializer.Deserialize(row.Value, HistoryJson.Default.StoredEntry) ?? throw Empty(row);
        }

        var stored = JsonSerializer.Deserialize(row.Value, HistoryJson.Default.AppendedEntry) ?? throw Empty(row);
        var group = HistoryKeys.TrailStream(tenant) + "/";
        if (!row.Key.StartsWith(group, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the history entry appended at revision {row.Revision} is in '{row.Key}', not in the log of {group}");
        }

        var entry = new HistoryEntry
        {
            Time = Timestamps.Format(row.Time),
            Operation = stored.Operation,
            Name = row.Key[group.Length..],
            Version = stored.Version,
            RevisionIdBefore = stored.RevisionIdBefore,
            RevisionIdAfter = stored.RevisionIdAfter,
            Actor = new HistoryActor(tenant.TenantId, stored.Principal, stored.RemoteAddress),
            TraceId = stored.TraceId,
            Changes = stored.Changes ?? [],
        };
        return new StoredEntry(entry, stored.Changes is null);
    }

    private static InvalidDataException Empty(Appended row) => new($"the history entry appended at revision {row.Revision} is empty");
}