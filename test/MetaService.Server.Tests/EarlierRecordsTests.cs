using System.Text;

using MetaService.Core.Catalog;

using static MetaService.Tests.Fixtures.DraftRecordValues;

namespace MetaService.Server.Tests;

/// <summary>
/// The start-up pass that rewrites records of an earlier MetaService (its own camelCase JSON) in openYuanrong's format:
/// the first pass reads every record; once a pass has read enough to be worth remembering it stores the revision it
/// looked up to, and the next pass reads only what changed after it, so a restart of a large store does not read every
/// value again. A small store is never written to by the pass unless a record needs rewriting.
/// </summary>
public sealed class EarlierRecordsTests : IAsyncDisposable
{
    private readonly EarlierRecordsStore _records = new();

    [Fact]
    public async Task AMarkedPass_ReadsOnlyTheRecordsChangedAfterTheMark()
    {
        var ct = TestContext.Current.CancellationToken;
        await PutAsync(Key("a"), Own("a"));
        await PutAsync(Key("b"), Own("b"));
        await PutAsync(Key("c"), Original("c"));

        var first = await EarlierRecords.RewriteAsync(_records.Catalog, ct, markFrom: 1);
        var mark = await MarkAsync();

        // d is stored in the earlier format below the mark (as no writer could: only a tampered mark puts it there),
        // a is stored in it again above the mark (an earlier MetaService writing after the pass).
        var d = await PutAsync(Key("d"), Own("d"));
        await PutAsync(EarlierRecords.CheckedKey, Encoding.ASCII.GetBytes(d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var a = await PutAsync(Key("a"), Own("a"));
        await _records.Catalog.WaitForAsync(a, ct);
        var second = await EarlierRecords.RewriteAsync(_records.Catalog, ct, markFrom: 1);

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
        await _records.Catalog.WaitForAsync(own, ct);

        var pass = await EarlierRecords.RewriteAsync(_records.Catalog, ct);

        Assert.Equal((2, 1), pass);
        Assert.False(await IsEarlierAsync(Key("f")), "f was not rewritten");
    }

    [Fact]
    public async Task APassOverFewerRecordsThanTheMarkNeeds_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var written = await PutAsync(Key("e"), Original("e"));
        await _records.Catalog.WaitForAsync(written, ct);

        var pass = await EarlierRecords.RewriteAsync(_records.Catalog, ct);

        Assert.Equal((1, 0), pass);
        Assert.Equal(written, await _records.Store.GetRevisionAsync(ct));
        Assert.Null(await _records.Store.GetAsync(EarlierRecords.CheckedKey, ct));
    }

    public ValueTask DisposeAsync() => _records.DisposeAsync();

    private Task<long> PutAsync(string key, byte[] value) => _records.PutAsync(key, value);

    private async Task<long> MarkAsync() =>
        long.Parse(Encoding.ASCII.GetString((await _records.Store.GetAsync(EarlierRecords.CheckedKey, TestContext.Current.CancellationToken))!.Value), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> IsEarlierAsync(string key) =>
        (await _records.Store.GetAsync(key, TestContext.Current.CancellationToken))!.Value[2] is >= (byte)'a' and <= (byte)'z';
}