using MetaService.Core.Aliases;
using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Core.Tests.Catalog;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Aliases.AliasFixture;

namespace MetaService.Core.Tests.Aliases;

/// <summary>What rides along with an alias write: its history entry, a rider's compares and writes (an idempotency
/// record), and a dry run that checks everything and writes nothing.</summary>
public sealed class AliasServiceWritesTests
{
    [Fact]
    public async Task EachAliasWrite_CommitsItsHistoryEntry_WithTheChangesUnderTheAliasesPath()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1", "2");
        var clock = new ManualClock();
        var service = new AliasService(temp.Store, new MetaOptions(), clock, history: new HistoryLog(new HistoryOptions(), clock));

        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;
        var updated = (await service.UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, FunctionVersion = "2" }, null, ct)).Value!;
        await service.RollbackAsync(Alice, Name, "prod", null, null, ct);
        await service.DeleteAsync(Alice, Name, "prod", null, ct);

        // The history answers newest first.
        var entries = (await new HistoryReader(temp.Store).FunctionAsync(Alice, Name, 50, null, ct)).Value!.Entries.Reverse().ToList();
        Assert.Equal(
            [HistoryOperations.AliasCreate, HistoryOperations.AliasUpdate, HistoryOperations.AliasRollback, HistoryOperations.AliasDelete],
            entries.Select(e => e.Operation));
        Assert.All(entries, e => Assert.Equal((Name, ""), (e.Name, e.Version)));
        Assert.Contains(entries[1].Changes, c => c.Path == "aliases.prod.FunctionVersion" && c.From!.GetValue<string>() == "1" && c.To!.GetValue<string>() == "2");
        Assert.Contains(entries[0].Changes, c => c.Path == "aliases.prod.FunctionVersion" && c.Op == RecordChanges.Add && c.To!.GetValue<string>() == "1");
        Assert.Contains(entries[3].Changes, c => c.Path == "aliases.prod.FunctionVersion" && c.Op == RecordChanges.Remove);
        Assert.NotEqual(created.RevisionId, updated.RevisionId);
    }

    [Fact]
    public async Task ARider_CommitsWithTheAlias_GivenTheAnswer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var rider = new TxnRider<AliasView>([Compare.Absent("/idem/key")], view => [new WriteOp.Put("/idem/key", System.Text.Encoding.UTF8.GetBytes(view.RevisionId))]);

        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), rider, ct)).Value!;

        Assert.Equal(created.RevisionId, System.Text.Encoding.UTF8.GetString((await temp.Store.GetAsync("/idem/key", ct))!.Value));
    }

    [Fact]
    public async Task ARiderWhoseKeyIsTaken_LosesTheWrite_AndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        await StoredRecords.PutAsync(temp.Store, "/idem/key", [1]);
        var service = Service(temp.Store, new ManualClock());
        var rider = new TxnRider<AliasView>([Compare.Absent("/idem/key")], _ => [new WriteOp.Put("/idem/key", [2])]);
        var before = await RevisionAsync(temp.Store);

        var lost = await service.CreateAsync(Alice, Name, Weighted("prod", "1"), rider, ct);

        Assert.Equal((409, ErrorKind.Conflict), (lost.Error!.Code, lost.Error.Kind));
        Assert.Equal(before, await RevisionAsync(temp.Store));
        Assert.Null(await StoredAsync(temp.Store, "prod"));
    }

    [Fact]
    public async Task ADryRun_AnswersAsTheWriteWould_AndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await FunctionAsync(temp.Store, "latest", "1");
        var service = Service(temp.Store, new ManualClock());
        var created = (await service.CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct)).Value!;
        var before = await RevisionAsync(temp.Store);
        var dry = service.AsDryRun();

        // A dry run serves one request: each write here has its own.
        var wouldCreate = await dry.CreateAsync(Alice, Name, Weighted("test", "1"), null, ct);
        var wouldRefuse = await service.AsDryRun().CreateAsync(Alice, Name, Weighted("prod", "1"), null, ct);
        var wouldUpdate = await service.AsDryRun().UpdateAsync(Alice, Name, "prod", new AliasUpdateRequest { RevisionId = created.RevisionId, Description = "d" }, null, ct);
        var wouldDelete = await service.AsDryRun().DeleteAsync(Alice, Name, "prod", null, ct);

        Assert.True(dry.IsDryRun);
        Assert.False(service.IsDryRun);
        Assert.Same(dry, dry.AsDryRun());
        Assert.Equal("test", wouldCreate.Value!.Name);
        Assert.Equal(4102, wouldRefuse.Error!.Code);
        Assert.Equal("d", wouldUpdate.Value!.Description);
        Assert.True(wouldDelete.Value);
        Assert.Equal(before, await RevisionAsync(temp.Store));
        Assert.Null(await StoredAsync(temp.Store, "test"));
        Assert.Equal("", (await StoredAsync(temp.Store, "prod"))!.Description);
    }
}