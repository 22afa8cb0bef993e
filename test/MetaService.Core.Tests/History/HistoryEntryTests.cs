using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>How an entry is stored: camelCase, without its revision (the key's) or a snapshot (kept at its own key), the
/// changes without the side that has no value; an entry without its required members is not read, one without the others
/// reads them as empty.</summary>
public sealed class HistoryEntryTests
{
    [Fact]
    public void AnEntry_IsStoredWithoutItsRevisionOrSnapshot_AndChangesWithoutTheirMissingSide()
    {
        var entry = new HistoryEntry
        {
            Time = "t",
            Operation = HistoryOperations.Patch,
            Name = "fn",
            Actor = HistoryActor.Local(new Tenant("alice")),
            Changes = [new HistoryChange("cpu", RecordChanges.Add, null, 300)],
        };

        var stored = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(entry, HistoryJson.Default.HistoryEntry))!;

        Assert.Equal(
            """{"time":"t","operation":"patch","name":"fn","version":"","revisionIdBefore":"","revisionIdAfter":"","actor":{"tenant":"alice","principal":"anonymous","remoteAddress":""},"traceId":"","changes":[{"path":"cpu","op":"add","to":300}]}""",
            stored.ToJsonString());
    }

    [Fact]
    public void AnEntryWithoutItsRequiredMembers_IsNotRead()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"time":"t","operation":"delete"}"""u8.ToArray(), HistoryJson.Default.HistoryEntry));
    }

    [Fact]
    public void AnEntryWithoutItsOptionalMembers_ReadsThemAsEmpty_NotNull()
    {
        // An entry of only the required members (one written by hand, or by a writer that left the empty ones out) reads
        // with the empty defaults its type declares, as every other entry does.
        var entry = JsonSerializer.Deserialize(
            """{"time":"t","operation":"delete","name":"fn","actor":{"tenant":"alice","principal":"anonymous","remoteAddress":""}}"""u8.ToArray(),
            HistoryJson.Default.HistoryEntry)!;

        Assert.Equal("", entry.Version);
        Assert.Equal("", entry.RevisionIdBefore);
        Assert.Equal("", entry.RevisionIdAfter);
        Assert.Equal("", entry.TraceId);
        Assert.Empty(entry.Changes);
        Assert.Null(entry.Snapshot);
    }
}