using System.Text.Json;

using MetaService.Core.Catalog;
using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The entry a write makes on a store with an append log (the embedded store): one append of the entry's
/// metadata in the write's transaction, no key, no copy of the record and no diff; read back with its revision, its
/// changes made from the values the log kept with it (the record before and after the write), and its snapshot.</summary>
public sealed class HistoryAppendLogTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACreate_AppendsTheEntrysMetadataAlone_AndIsReadBackWithItsChangesAndSnapshot()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start), () => new WriteContext("carol", "10.0.0.7", "trace-1"));
        var after = HistoryTestKit.Record("fn");
        var write = new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, after);

        var append = Assert.IsType<WriteOp.Append>(Assert.Single(await log.WritesAsync(temp.Store, Alice, write, Cancel)));
        var revision = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, write, Cancel);

        Assert.Equal(("alice/shop/fn", "alice/shop", HistoryTestKit.Start), (append.Key, append.Group, append.Time));
        Assert.Equal((null, PlatformKeys.Record(Alice, "fn", after.Version)), (append.Before, append.After));
        // Only what the row does not hold: no time, tenant or name, and no changes (they are made when read).
        var stored = JsonSerializer.Deserialize(append.Value, HistoryJson.Default.AppendedEntry)!;
        Assert.Equal(
            ("create", "$latest", "", after.RevisionId, "carol", "10.0.0.7", "trace-1"),
            (stored.Operation, stored.Version, stored.RevisionIdBefore, stored.RevisionIdAfter, stored.Principal, stored.RemoteAddress, stored.TraceId));
        Assert.Null(stored.Changes);
        Assert.Equal(
            """{"o":"create","v":"$latest","b":"","a":"20260509022549477","p":"carol","r":"10.0.0.7","t":"trace-1"}""",
            System.Text.Encoding.UTF8.GetString(append.Value));
        Assert.Empty(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.Root, Cancel));

        var entry = Assert.Single((await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries);
        Assert.Equal(revision, entry.Revision);
        Assert.Equal(("2026-05-09 02:25:49.477 UTC", "create", "$latest", "trace-1"), (entry.Time, entry.Operation, entry.Version, entry.TraceId));
        Assert.Equal(new HistoryActor("alice", "carol", "10.0.0.7"), entry.Actor);
        Assert.Contains(entry.Changes, c => c.Path == "environment" && c.Op == RecordChanges.Add && c.To!.ToJsonString() == """{"TOKEN":"changed"}""");
        Assert.Null(entry.Snapshot);

        // The snapshot is the record as the write stored it.
        var one = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revision, Cancel)).Value!;
        var key = PlatformKeys.Record(Alice, "fn", after.Version);
        Assert.Equal(
            JsonSerializer.Serialize(FunctionEntry.Decode(key, RecordFormat.Encode(after)), MetaJson.Default.FunctionRecord),
            JsonSerializer.Serialize(one.Snapshot, MetaJson.Default.FunctionRecord));
        Assert.Equal(entry.Changes, one.Changes, (a, b) => a.Path == b.Path && a.Op == b.Op);
    }

    [Fact]
    public async Task ARowOfTheEarlierLayout_TheWholeEntry_IsReadAsTheNewLayoutsRowsAre()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start), () => new WriteContext("carol", "10.0.0.7", "trace-1"));
        var first = HistoryTestKit.Record("fn");
        var second = first with { Cpu = 600, RevisionId = "2" };
        var third = second with { Memory = 256, RevisionId = "3" };
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, first), Cancel);

        // The first update appended as the earlier layout did: the whole entry; the second as this layout does.
        var update = new HistoryWrite(HistoryOperations.Update, "fn", "$latest", first, second);
        var append = Assert.IsType<WriteOp.Append>(Assert.Single(await log.WritesAsync(temp.Store, Alice, update, Cancel)));
        var whole = new HistoryEntry
        {
            Time = Timestamps.Format(HistoryTestKit.Start),
            Operation = "update",
            Name = "fn",
            Version = "$latest",
            RevisionIdBefore = first.RevisionId,
            RevisionIdAfter = "2",
            Actor = new HistoryActor(Alice.TenantId, "carol", "10.0.0.7"),
            TraceId = "trace-1",
        };
        var earlier = append with { Value = JsonSerializer.SerializeToUtf8Bytes(new StoredEntry(whole, DerivedChanges: true), HistoryJson.Default.StoredEntry) };
        await temp.Store.TxnAsync([], [earlier, new WriteOp.Put(PlatformKeys.Record(Alice, "fn", second.Version), RecordFormat.Encode(second))], Cancel);
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", second, third), Cancel);

        var reader = new HistoryReader(temp.Store, changesCacheBytes: 0);
        var entries = (await reader.FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        var trail = (await reader.TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel)).Value!.Entries;

        Assert.Equal(
            [
                "update fn $latest 2→3 alice carol 10.0.0.7 trace-1 2026-05-09 02:25:49.477 UTC: revisionId memory",
                "update fn $latest 20260509022549477→2 alice carol 10.0.0.7 trace-1 2026-05-09 02:25:49.477 UTC: revisionId cpu",
                "create fn $latest →20260509022549477 alice carol 10.0.0.7 trace-1 2026-05-09 02:25:49.477 UTC: " + string.Join(' ', entries[2].Changes.Select(c => c.Path)),
            ],
            entries.Select(Described));
        Assert.Equal(entries.Select(Described), trail.Select(Described));
        Assert.Contains("environment", entries[2].Changes.Select(c => c.Path));
    }

    private static string Described(HistoryEntry e) =>
        $"{e.Operation} {e.Name} {e.Version} {e.RevisionIdBefore}→{e.RevisionIdAfter} {e.Actor.Tenant} {e.Actor.Principal} {e.Actor.RemoteAddress} {e.TraceId} {e.Time}: {string.Join(' ', e.Changes.Select(c => c.Path))}";

    [Fact]
    public async Task ARowInAnotherTenantsLog_IsRefused_NotReadAsThisTenants()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var append = Assert.IsType<WriteOp.Append>(Assert.Single(await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn")), Cancel)));
        var revision = (await temp.Store.TxnAsync([], [append with { Key = "bob/shop/fn", Group = HistoryKeys.TrailStream(Alice) }], Cancel)).Revision;

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new HistoryReader(temp.Store).TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel));

        Assert.Contains($"revision {revision} is in 'bob/shop/fn'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARowHoldingNoEntry_IsRefusedByItsRevision()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var append = Assert.IsType<WriteOp.Append>(Assert.Single(await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn")), Cancel)));
        var revision = (await temp.Store.TxnAsync([], [append with { Value = "null"u8.ToArray() }], Cancel)).Revision;

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new HistoryReader(temp.Store).TrailAsync(Alice, new TrailQuery(null, null, null, null, 10, null), Cancel));

        Assert.Equal($"the history entry appended at revision {revision} is empty", refused.Message);
    }

    [Fact]
    public async Task EachEntry_DiffsTheRecordBeforeItsWrite_WithTheOneAfter_EvenWhenBothWereWrittenSince()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var first = HistoryTestKit.Record("fn");
        var second = first with { Cpu = 600, RevisionId = "2" };
        var third = second with { Memory = 256, RevisionId = "3" };

        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, first), Cancel);
        var updated = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", first, second), Cancel);
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", second, third), Cancel);

        var entries = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries;
        Assert.Equal(["update", "update", "create"], entries.Select(e => e.Operation));
        Assert.Equal(["revisionId", "memory"], entries[0].Changes.Select(c => c.Path));
        Assert.Equal(["revisionId", "cpu"], entries[1].Changes.Select(c => c.Path));
        Assert.Equal(600, (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", updated, Cancel)).Value!.Snapshot!.Cpu);
    }

    [Fact]
    public async Task APublish_DiffsTheDraft_WithTheVersionItMade()
    {
        await using var temp = new TempStore();
        var draft = HistoryTestKit.Record("fn");
        var log = await CreatedAsync(temp.Store, draft);
        var version = draft with { Version = "v1", Description = "first" };

        var published = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Publish, "fn", "v1", draft, version), Cancel);

        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", published, Cancel)).Value!;
        Assert.Contains(entry.Changes, c => c.Path == "version" && c.To!.GetValue<string>() == "v1");
        Assert.Contains(entry.Changes, c => c.Path == "description" && c.To!.GetValue<string>() == "first");
        Assert.Equal("v1", entry.Snapshot!.Version);
    }

    [Fact]
    public async Task ChangesGivenByTheWrite_AreStored_AndTheSnapshotIsTheRecordAsItIs()
    {
        await using var temp = new TempStore();
        var record = HistoryTestKit.Record("fn") with { Cpu = 700 };
        var log = await CreatedAsync(temp.Store, record);
        var given = ReserveChanges.Deleted("l1");

        // A reserved-instance change does not write the record: the entry names it as it stands.
        var writes = await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.ReserveDelete, "fn", "$latest", record, record, given), Cancel);
        var revision = (await temp.Store.TxnAsync([], writes, Cancel)).Revision;

        var append = Assert.IsType<WriteOp.Append>(Assert.Single(writes));
        Assert.Null(append.Before);
        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revision, Cancel)).Value!;
        var change = Assert.Single(entry.Changes);
        Assert.Equal(("reservedInstances.l1", "remove", "reserve-delete"), (change.Path, change.Op, entry.Operation));
        Assert.Equal(700, entry.Snapshot!.Cpu);
    }

    [Fact]
    public async Task ADelete_ListsWhatWent_AndHasNoSnapshot()
    {
        await using var temp = new TempStore();
        var record = HistoryTestKit.Record("fn");
        var log = await CreatedAsync(temp.Store, record);
        var writes = (await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Delete, "fn", "", record, null), Cancel)).ToList();
        writes.Add(new WriteOp.Delete(PlatformKeys.Record(Alice, "fn", record.Version)));

        var revision = (await temp.Store.TxnAsync([], writes, Cancel)).Revision;

        var entry = (await new HistoryReader(temp.Store).OneAsync(Alice, "fn", revision, Cancel)).Value!;
        Assert.Null(entry.Snapshot);
        Assert.Equal((record.RevisionId, ""), (entry.RevisionIdBefore, entry.RevisionIdAfter));
        Assert.NotEmpty(entry.Changes);
        Assert.All(entry.Changes, c => Assert.Equal(RecordChanges.Remove, c.Op));
    }

    [Fact]
    public async Task AWriteWhoseCompareFails_AppendsNothing()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var writes = await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn")), Cancel);

        var result = await temp.Store.TxnAsync([new Compare("/absent", 5)], writes, Cancel);

        Assert.False(result.Succeeded);
        Assert.Empty((await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries);
    }

    /// <summary>A history log at the kit's start time, and <paramref name="record"/> created with its entry.</summary>
    private static async Task<HistoryLog> CreatedAsync(IMetaStore store, FunctionRecord record)
    {
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        await HistoryTestKit.WriteAsync(store, log, Alice, new HistoryWrite(HistoryOperations.Create, record.Name, "$latest", null, record), Cancel);
        return log;
    }
}