using MetaService.Core.History;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>What a diff or a restore names as a side: a version, the draft (either spelling, either kind) or a history
/// entry's snapshot; a malformed side is a 400 that says what to give, a side that names nothing a 404.</summary>
public sealed class HistorySourcesTests
{
    private static readonly Tenant Alice = HistoryTestKit.Alice;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("latest")]
    [InlineData("$latest")]
    public async Task TheDraft_IsFound_UnderEitherName_WhateverItsKind(string side)
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, HistoryTestKit.Record("fn", FunctionKinds.DraftOther) with { Cpu = 700 });
        await PutAsync(temp.Store, HistoryTestKit.Record("0@svc@faas", FunctionKinds.DraftFaas) with { Kind = FunctionKinds.Faas, Cpu = 800 });
        var sources = new HistorySources(temp.Store);

        var other = (await sources.ResolveAsync(Alice, "fn", side, "from", Cancel)).Value!;
        var faas = (await sources.ResolveAsync(Alice, "0@svc@faas", side, "from", Cancel)).Value!;

        Assert.Equal((700L, "$latest"), (other.Cpu, other.Version));
        Assert.Equal((800L, "latest"), (faas.Cpu, faas.Version));
    }

    [Fact]
    public async Task AVersion_IsFound_ByItsNumber()
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, HistoryTestKit.Record("fn", "v3") with { Cpu = 900 });

        var record = (await new HistorySources(temp.Store).ResolveAsync(Alice, "fn", "v3", "to", Cancel)).Value!;

        Assert.Equal(("v3", 900L), (record.Version, record.Cpu));
    }

    [Fact]
    public async Task AHistoryEntry_IsFound_ByItsRevision_AsItsSnapshot()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "fn", 2);

        var record = (await new HistorySources(temp.Store).ResolveAsync(Alice, "fn", $"@{revisions[0]}", "from", Cancel)).Value!;

        Assert.Equal(400, record.Cpu);
        Assert.Equal("s3cr3t", record.Environment["TOKEN"]);
    }

    [Fact]
    public async Task WhatNamesNothing_IsNotFound()
    {
        await using var temp = new TempStore();
        var log = new HistoryLog(new HistoryOptions(), new SetClock(HistoryTestKit.Start));
        var deleted = await HistoryTestKit.WriteAsync(temp.Store, log, Alice, new HistoryWrite(HistoryOperations.Delete, "fn", "", HistoryTestKit.Record("fn"), null), Cancel);
        var sources = new HistorySources(temp.Store);

        var noDraft = (await sources.ResolveAsync(Alice, "0-svc-fn", "latest", "from", Cancel)).Error!;
        var noVersion = (await sources.ResolveAsync(Alice, "fn", "v9", "to", Cancel)).Error!;
        var noEntry = (await sources.ResolveAsync(Alice, "fn", $"@{deleted + 1}", "from", Cancel)).Error!;
        var noSnapshot = (await sources.ResolveAsync(Alice, "fn", $"@{deleted}", "from", Cancel)).Error!;

        Assert.Equal((4115, "function [fn] is not found" + MetaError.CheckInput, ErrorKind.NotFound), (noDraft.Code, noDraft.Message, noDraft.Kind));
        Assert.Equal((4116, "function [fn] version [v9] is not found" + MetaError.CheckInput, ErrorKind.NotFound), (noVersion.Code, noVersion.Message, noVersion.Kind));
        Assert.Equal((4116, $"function [fn] has no history entry with a record at revision {deleted + 1}" + MetaError.CheckInput, ErrorKind.NotFound), (noEntry.Code, noEntry.Message, noEntry.Kind));
        Assert.Equal((4116, $"function [fn] has no history entry with a record at revision {deleted}" + MetaError.CheckInput, ErrorKind.NotFound), (noSnapshot.Code, noSnapshot.Message, noSnapshot.Kind));
    }

    [Theory]
    [InlineData(null, "from is missing: give a version number (v3), latest, or @<revision> of a history entry")]
    [InlineData("", "from is missing: give a version number (v3), latest, or @<revision> of a history entry")]
    [InlineData("@", "from '@' is not @<revision>: give the revision of a history entry, e.g. @42")]
    [InlineData("@0", "from '@0' is not @<revision>: give the revision of a history entry, e.g. @42")]
    [InlineData("@-1", "from '@-1' is not @<revision>: give the revision of a history entry, e.g. @42")]
    [InlineData("@+1", "from '@+1' is not @<revision>: give the revision of a history entry, e.g. @42")]
    [InlineData("@x", "from '@x' is not @<revision>: give the revision of a history entry, e.g. @42")]
    [InlineData("v 3", "from 'v 3' is not a version: give a version number (v3), latest, or @<revision>")]
    [InlineData("-v3", "from '-v3' is not a version: give a version number (v3), latest, or @<revision>")]
    public async Task AMalformedSide_IsRefused_SayingWhatToGive(string? side, string message)
    {
        await using var temp = new TempStore();
        await PutAsync(temp.Store, HistoryTestKit.Record("fn"));

        var error = (await new HistorySources(temp.Store).ResolveAsync(Alice, "fn", side, "from", Cancel)).Error!;

        Assert.Equal((4104, message + MetaError.CheckInput, ErrorKind.Invalid), (error.Code, error.Message, error.Kind));
    }

    [Fact]
    public async Task AMalformedName_IsRefused_BeforeTheSideIsRead()
    {
        await using var temp = new TempStore();

        var error = (await new HistorySources(temp.Store).ResolveAsync(Alice, "a/b", null, "from", Cancel)).Error!;

        Assert.Equal((4104, "invalid URN: a/b" + MetaError.CheckInput), (error.Code, error.Message));
    }

    [Fact]
    public async Task AnEntryRevisionOfAnotherFunction_IsNotFound()
    {
        await using var temp = new TempStore();
        var revisions = await HistoryReaderTests.WriteUpdatesAsync(temp.Store, "other", 1);

        var error = (await new HistorySources(temp.Store).ResolveAsync(Alice, "fn", $"@{revisions[0]}", "from", Cancel)).Error!;

        Assert.Equal((4116, ErrorKind.NotFound), (error.Code, error.Kind));
    }

    private static Task<TxnResult> PutAsync(IMetaStore store, FunctionRecord record) =>
        store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Alice, record.Name, record.Version), RecordFormat.Encode(record))], Cancel);
}