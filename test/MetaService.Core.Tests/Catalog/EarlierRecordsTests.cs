using System.Globalization;
using System.Text;

using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;
using static MetaService.Tests.Fixtures.DraftRecordValues;

namespace MetaService.Core.Tests.Catalog;

/// <summary>The start-up pass that rewrites records of an earlier MetaService (its own camelCase JSON) in openYuanrong's
/// format: every record without a mark (in pages), only those changed after the mark with one; the mark is stored once
/// a pass has read enough records, and a record that is not JSON is left as it is.</summary>
public sealed class EarlierRecordsTests
{
    [Fact]
    public async Task APassWithoutAMark_RewritesEveryEarlierRecord_AcrossPages_AndLeavesTheOthers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var writes = Enumerable.Range(0, 300).Select(i => (WriteOp)new WriteOp.Put(Key($"n{i:D3}"), i % 100 == 7 ? Own($"n{i:D3}") : Original($"n{i:D3}"))).ToList();
        await temp.Store.TxnAsync([], writes, ct);
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        var before = await temp.Store.GetRevisionAsync(ct);

        var pass = await EarlierRecords.RewriteAsync(catalog, ct);

        Assert.Equal((300, 3), pass);
        Assert.False(await IsEarlierAsync(temp.Store, Key("n207")), "n207, on the second page, was not rewritten");
        Assert.Equal(before + 3, await temp.Store.GetRevisionAsync(ct));
        Assert.Null(await temp.Store.GetAsync(EarlierRecords.CheckedKey, ct));
        var decoded = RecordFormat.Decode(Key("n007"), (await temp.Store.GetAsync(Key("n007"), ct))!.Value);
        Assert.Equal("0-svc-n007", decoded.Name);
    }

    [Fact]
    public async Task APassThatReadEnough_StoresTheRevisionItLookedUpTo()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Key("a"), Original("a"));
        var last = await PutAsync(temp.Store, Key("b"), Own("b"));
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var below = await EarlierRecords.RewriteAsync(catalog, ct, markFrom: 3);
        var noMark = await temp.Store.GetAsync(EarlierRecords.CheckedKey, ct);
        var rewritten = await temp.Store.GetRevisionAsync(ct);
        await catalog.WaitForAsync(rewritten, ct);
        var exactly = await EarlierRecords.RewriteAsync(catalog, ct, markFrom: 2);

        Assert.Equal((2, 1), below);
        Assert.Null(noMark);
        Assert.Equal(last + 1, rewritten);
        Assert.Equal((2, 0), exactly);
        Assert.Equal(rewritten.ToString(CultureInfo.InvariantCulture), await MarkAsync(temp.Store));
    }

    [Fact]
    public async Task APassWithAMark_ReadsOnlyWhatChangedAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Key("a"), Own("a"));
        var marked = await PutAsync(temp.Store, Key("b"), Own("b"));
        await PutAsync(temp.Store, EarlierRecords.CheckedKey, Encoding.ASCII.GetBytes(marked.ToString(CultureInfo.InvariantCulture)));
        await PutAsync(temp.Store, Key("c"), Original("c"));
        var last = await PutAsync(temp.Store, Key("d"), Own("d"));
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var pass = await EarlierRecords.RewriteAsync(catalog, ct, markFrom: 100);

        Assert.Equal((2, 1), pass);
        Assert.True(await IsEarlierAsync(temp.Store, Key("a")), "a, below the mark, was read");
        Assert.False(await IsEarlierAsync(temp.Store, Key("d")), "d was not rewritten");
        Assert.Equal(marked.ToString(CultureInfo.InvariantCulture), await MarkAsync(temp.Store));
        Assert.Equal(last + 1, await temp.Store.GetRevisionAsync(ct));
    }

    [Theory]
    [InlineData("not a number")]
    [InlineData("-5")]
    [InlineData(" 5")]
    public async Task AMarkThatIsNoRevision_IsNoMark(string mark)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Key("a"), Own("a"));
        await PutAsync(temp.Store, EarlierRecords.CheckedKey, Encoding.ASCII.GetBytes(mark));
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var pass = await EarlierRecords.RewriteAsync(catalog, ct);

        Assert.Equal((1, 1), pass);
    }

    [Fact]
    public async Task ARecordThatIsNotJson_OrCannotBeRead_IsPassedOver()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Key("broken"), "{not json"u8.ToArray());
        await PutAsync(temp.Store, Key("odd"), """{"name":"x","cpu":"many"}"""u8.ToArray());
        var last = await PutAsync(temp.Store, Key("f"), Own("f"));
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var pass = await EarlierRecords.RewriteAsync(catalog, ct);

        Assert.Equal((3, 1), pass);
        Assert.Equal("""{"name":"x","cpu":"many"}""", Encoding.UTF8.GetString((await temp.Store.GetAsync(Key("odd"), ct))!.Value));
        Assert.Equal(last + 1, await temp.Store.GetRevisionAsync(ct));
    }

    [Fact]
    public async Task APassWithoutAMark_OverFewerRecordsThanAPage_ReadsTheStoreOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Key("a"), Own("a"));
        await PutAsync(temp.Store, Key("b"), Original("b"));
        var counting = new RangeCountingStore(temp.Store);
        await using var catalog = new FunctionCatalog(counting, TimeProvider.System);
        await catalog.ChangedAfterAsync(null, ct);
        var loaded = counting.Ranges;

        var pass = await EarlierRecords.RewriteAsync(catalog, ct);

        Assert.Equal((2, 1), pass);
        Assert.Equal(1, counting.Ranges - loaded);
    }

    private static async Task<string> MarkAsync(IMetaStore store) =>
        Encoding.ASCII.GetString((await store.GetAsync(EarlierRecords.CheckedKey, TestContext.Current.CancellationToken))!.Value);

    private static async Task<bool> IsEarlierAsync(IMetaStore store, string key) =>
        (await store.GetAsync(key, TestContext.Current.CancellationToken))!.Value[2] is >= (byte)'a' and <= (byte)'z';

    /// <summary>Counts the range reads made through it (the catalog's load and the pass's pages).</summary>
    private sealed class RangeCountingStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private int _ranges;

        public int Ranges => Volatile.Read(ref _ranges);

        public override Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _ranges);
            return base.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }
    }
}