using System.Globalization;
using System.Text.Json;

using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>The entry a write makes on a store without an append log (etcd): written in the write's transaction at the
/// function's key and the tenant trail's (the same bytes), with the record after it at its snapshot key, naming who wrote
/// it; nothing when the history is off. (On a store with one: <see cref="HistoryAppendLogTests"/>.)</summary>
public sealed class HistoryLogTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACreate_WritesTheEntry_AtTheFunctionsKey_TheTrailsAndTheSnapshots()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var clock = new SetClock(HistoryTestKit.Start);
        var log = new HistoryLog(new HistoryOptions(), clock, () => new WriteContext("carol", "10.0.0.7", "trace-1"));
        var after = HistoryTestKit.Record("fn");

        var revision = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, after), Cancel);

        var entryKey = Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.FunctionPrefix(Alice, "fn"), Cancel));
        var stored = (await temp.Store.GetAsync(entryKey, Cancel))!;
        Assert.Equal(revision, stored.ModRevision);
        var trail = (await temp.Store.GetAsync(HistoryKeys.TrailKeyOf(entryKey)!, Cancel))!;
        Assert.Equal(stored.Value, trail.Value);
        var snapshot = (await temp.Store.GetAsync(HistoryKeys.SnapshotKeyOf(entryKey), Cancel))!;
        Assert.Equal(JsonSerializer.Serialize(after, MetaJson.Default.FunctionRecord), JsonSerializer.Serialize(JsonSerializer.Deserialize(snapshot.Value, MetaJson.Default.FunctionRecord), MetaJson.Default.FunctionRecord));
        Assert.Equal(3, (await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.Root, Cancel)).Count);

        var entry = JsonSerializer.Deserialize(stored.Value, HistoryJson.Default.HistoryEntry)!;
        Assert.Equal(("2026-05-09 02:25:49.477 UTC", "create", "fn", "$latest"), (entry.Time, entry.Operation, entry.Name, entry.Version));
        Assert.Equal(("", after.RevisionId), (entry.RevisionIdBefore, entry.RevisionIdAfter));
        Assert.Equal(new HistoryActor("alice", "carol", "10.0.0.7"), entry.Actor);
        Assert.Equal("trace-1", entry.TraceId);
        Assert.Contains(entry.Changes, c => c.Path == "environment" && c.Op == RecordChanges.Add && c.To!.ToJsonString() == """{"TOKEN":"changed"}""");
        Assert.Null(entry.Snapshot);
        Assert.Equal(0, entry.Revision);
    }

    [Fact]
    public async Task TheEntrysSequence_IsTheRevisionItIsWrittenAt_AndItsTimeTheClocks()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var clock = new SetClock(HistoryTestKit.Start);
        var log = new HistoryLog(new HistoryOptions(), clock);
        await temp.Store.TxnAsync([], [new WriteOp.Put("/other", [1])], Cancel);

        var revision = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn")), Cancel);

        var key = Assert.Single(await HistoryTestKit.KeysAsync(temp.Store, HistoryKeys.FunctionPrefix(Alice, "fn"), Cancel));
        var leaf = key[(key.LastIndexOf('/') + 1)..];
        Assert.Equal(revision, long.MaxValue - long.Parse(leaf[..19], CultureInfo.InvariantCulture));
        Assert.Equal(clock.Now, HistoryKeys.TimeOf(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUpdate_NamesBothRevisionIds_AndOnlyWhatChanged(bool withoutAppendLog)
    {
        await using var temp = new TempStore(withoutAppendLog);
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var before = HistoryTestKit.Record("fn");
        var after = before with { Cpu = 600, RevisionId = "20260509022550" };
        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, before), Cancel);

        await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Update, "fn", "$latest", before, after), Cancel);

        var entry = (await new HistoryReader(temp.Store).FunctionAsync(Alice, "fn", 10, null, Cancel)).Value!.Entries[0];
        Assert.Equal((before.RevisionId, after.RevisionId), (entry.RevisionIdBefore, entry.RevisionIdAfter));
        Assert.Equal(
            [("revisionId", "replace", "\"20260509022549477\"", "\"20260509022550\""), ("cpu", "replace", "300", "600")],
            entry.Changes.Select(c => (c.Path, c.Op, c.From!.ToJsonString(), c.To!.ToJsonString())));
    }

    [Fact]
    public async Task ADelete_HasNoSnapshot_AndNoRevisionIdAfter()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var before = HistoryTestKit.Record("fn");

        var writes = await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Delete, "fn", "", before, null), Cancel);

        Assert.Equal(2, writes.Count);
        Assert.DoesNotContain(writes, w => w.Key.StartsWith(HistoryKeys.Root + "snapshots/", StringComparison.Ordinal));
        var entry = JsonSerializer.Deserialize(((WriteOp.Put)writes[0]).Value, HistoryJson.Default.HistoryEntry)!;
        Assert.Equal((before.RevisionId, "", ""), (entry.RevisionIdBefore, entry.RevisionIdAfter, entry.Version));
        Assert.All(entry.Changes, c => Assert.Equal(RecordChanges.Remove, c.Op));
        Assert.NotEmpty(entry.Changes);
    }

    [Fact]
    public async Task WithoutARequest_TheWriterIsAnonymous()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));

        var writes = await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn")), Cancel);

        var entry = JsonSerializer.Deserialize(((WriteOp.Put)writes[0]).Value, HistoryJson.Default.HistoryEntry)!;
        Assert.Equal(new HistoryActor("alice", HistoryActor.Anonymous, ""), entry.Actor);
        Assert.Equal("", entry.TraceId);
        Assert.Equal(HistoryActor.Local(Alice), entry.Actor);
        Assert.Equal(new WriteContext("anonymous", "", ""), WriteContext.None);
    }

    [Fact]
    public async Task ChangesGivenByTheWrite_AreKeptInsteadOfTheRecordsDifference()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var record = HistoryTestKit.Record("fn");
        var given = ReserveChanges.Deleted("l1");

        var writes = await log.WritesAsync(temp.Store, Alice, new HistoryWrite(HistoryOperations.ReserveDelete, "fn", "$latest", record, record, given), Cancel);

        var entry = JsonSerializer.Deserialize(((WriteOp.Put)writes[0]).Value, HistoryJson.Default.HistoryEntry)!;
        var change = Assert.Single(entry.Changes);
        Assert.Equal(("reservedInstances.l1", "remove"), (change.Path, change.Op));
        Assert.Equal("reserve-delete", entry.Operation);
    }

    [Fact]
    public async Task WhenTheHistoryIsOff_AWriteAddsNothing()
    {
        await using var temp = new TempStore(withoutAppendLog: true);
        var log = new HistoryLog(new HistoryOptions { Enabled = false }, new SetClock(HistoryTestKit.Start));
        var write = new HistoryWrite(HistoryOperations.Create, "fn", "$latest", null, HistoryTestKit.Record("fn"));

        Assert.Empty(await log.WritesAsync(temp.Store, Alice, write, Cancel));
        Assert.Empty(await ((HistoryLog?)null).WritesOrNoneAsync(temp.Store, Alice, write, Cancel));
        Assert.Equal(3, (await new HistoryLog(new HistoryOptions(), TimeProvider.System).WritesOrNoneAsync(temp.Store, Alice, write, Cancel)).Count);
        Assert.False(log.Options.Enabled);
    }

    [Fact]
    public void TheOperations_AreEveryOneAnEntryNames_EachOnce()
    {
        Assert.Equal(14, HistoryOperations.All.Length);
        Assert.Equal(HistoryOperations.All.Length, HistoryOperations.All.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("delete-version", HistoryOperations.All);
        Assert.Contains("alias-rollback", HistoryOperations.All);
    }
}