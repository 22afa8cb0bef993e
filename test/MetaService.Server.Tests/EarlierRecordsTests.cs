using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>
/// The start-up pass that rewrites records of an earlier MetaService (its own camelCase JSON) in openYuanrong's format:
/// the first pass reads every record; once a pass has read enough to be worth remembering it stores the revision it
/// looked up to, and the next pass reads only what changed after it, so a restart of a large store does not read every
/// value again. A small store is never written to by the pass unless a record needs rewriting.
/// </summary>
public sealed class EarlierRecordsTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-earlier-").FullName;
    private readonly SqliteMetaStore _store;
    private readonly FunctionCatalog _catalog;

    public EarlierRecordsTests()
    {
        _store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        _catalog = new FunctionCatalog(_store, TimeProvider.System);
    }

    [Fact]
    public async Task AMarkedPass_ReadsOnlyTheRecordsChangedAfterTheMark()
    {
        var ct = TestContext.Current.CancellationToken;
        await PutAsync(Key("a"), Own("a"));
        await PutAsync(Key("b"), Own("b"));
        await PutAsync(Key("c"), Original("c"));

        var first = await EarlierRecords.RewriteAsync(_catalog, ct, markFrom: 1);
        var mark = await MarkAsync();

        // d is stored in the earlier format below the mark (as no writer could: only a tampered mark puts it there),
        // a is stored in it again above the mark (an earlier MetaService writing after the pass).
        var d = await PutAsync(Key("d"), Own("d"));
        await PutAsync(EarlierRecords.CheckedKey, Encoding.ASCII.GetBytes(d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var a = await PutAsync(Key("a"), Own("a"));
        await _catalog.WaitForAsync(a, ct);
        var second = await EarlierRecords.RewriteAsync(_catalog, ct, markFrom: 1);

        Assert.Equal((3, 2), first);
        Assert.True(mark >= 3, $"the first pass marked revision {mark}");
        Assert.Equal((1, 1), second);
        Assert.False(await IsEarlierAsync(Key("a")), "a was not rewritten");
        Assert.True(await IsEarlierAsync(Key("d")), "d, below the mark, was read again");
        Assert.True(await MarkAsync() >= a, "the second pass did not advance the mark");
    }

    [Fact]
    public async Task ARecordThatIsNotJson_IsPassedOver()
    {
        var ct = TestContext.Current.CancellationToken;
        await PutAsync(Key("broken"), "{not json"u8.ToArray());
        var own = await PutAsync(Key("f"), Own("f"));
        await _catalog.WaitForAsync(own, ct);

        var pass = await EarlierRecords.RewriteAsync(_catalog, ct);

        Assert.Equal((2, 1), pass);
        Assert.False(await IsEarlierAsync(Key("f")), "f was not rewritten");
    }

    [Fact]
    public async Task APassOverFewerRecordsThanTheMarkNeeds_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var written = await PutAsync(Key("e"), Original("e"));
        await _catalog.WaitForAsync(written, ct);

        var pass = await EarlierRecords.RewriteAsync(_catalog, ct);

        Assert.Equal((1, 0), pass);
        Assert.Equal(written, await _store.GetRevisionAsync(ct));
        Assert.Null(await _store.GetAsync(EarlierRecords.CheckedKey, ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _catalog.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Key(string name) => $"/repo/FunctionVersion/yrk/default//0-svc-{name}/$latest/";

    private static byte[] Original(string name)
    {
        var (_, value) = OriginalRecords.Load(OriginalRecords.FaasDraft);
        return RecordFormat.Encode(RecordFormat.Decode(Key(name), value));
    }

    private static byte[] Own(string name) =>
        JsonSerializer.SerializeToUtf8Bytes(RecordFormat.Decode(Key(name), Original(name)), MetaJson.Default.FunctionRecord);

    private async Task<long> PutAsync(string key, byte[] value) =>
        (await _store.TxnAsync([], [new WriteOp.Put(key, value)], TestContext.Current.CancellationToken)).Revision;

    private async Task<long> MarkAsync() =>
        long.Parse(Encoding.ASCII.GetString((await _store.GetAsync(EarlierRecords.CheckedKey, TestContext.Current.CancellationToken))!.Value), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> IsEarlierAsync(string key) =>
        (await _store.GetAsync(key, TestContext.Current.CancellationToken))!.Value[2] is >= (byte)'a' and <= (byte)'z';
}