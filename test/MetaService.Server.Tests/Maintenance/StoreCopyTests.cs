using MetaService.Core.Storage;
using MetaService.Server.Maintenance;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

namespace MetaService.Server.Tests.Maintenance;

/// <summary>How <c>copy</c> writes: in transactions of at most 64 keys and 1 MiB, each of which checks that the keys it
/// writes are absent from the target (unless <c>--force</c>), and what it refuses.</summary>
public sealed class StoreCopyTests : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "metaservice-copy-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteMetaStore _target;

    public StoreCopyTests()
    {
        _target = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = Path.Combine(_root, "target") });
    }

    public async ValueTask DisposeAsync()
    {
        await _target.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task ATransaction_HoldsAtMost64Keys()
    {
        var copied = await StoreCopy.CopyAsync(Source(Enumerable.Range(0, 130).Select(i => ($"/repo/k{i:D3}", 10))), _target, force: false, Cancel);

        // 64 + 64 + 2: three transactions, each one revision of the embedded store.
        Assert.Equal(new CopyTotals(130, 1300, 3), copied);
        Assert.Equal(130, (await _target.RangeKeysAsync("/repo/", cancellationToken: Cancel)).Items.Count);
    }

    [Theory]
    [InlineData(524_288, 1)]
    [InlineData(524_289, 2)]
    public async Task ATransaction_HoldsAtMostAMebibyte_KeysAndValues(int second, long transactions)
    {
        // "/k1" and its value make 524,288 bytes; the second value fills the mebibyte exactly, or goes one byte over.
        var copied = await StoreCopy.CopyAsync(Source([("/k1", 524_285), ("/k2", second)]), _target, force: false, Cancel);

        Assert.Equal(transactions, copied.TargetRevision);
    }

    [Fact]
    public async Task ValuesOfMoreThanAMebibyteInAll_AreSplit()
    {
        var copied = await StoreCopy.CopyAsync(Source(Enumerable.Range(0, 5).Select(i => ($"/big/{i}", 400 * 1024))), _target, force: false, Cancel);

        Assert.Equal(new CopyTotals(5, 5 * 400 * 1024, 3), copied);
    }

    [Fact]
    public async Task AKeyTheTargetHas_RefusesItsTransaction_UnlessForced()
    {
        await _target.TxnAsync([], [new WriteOp.Put("/repo/b", [9])], Cancel);

        var refused = await Assert.ThrowsAsync<MaintenanceRefusedException>(() => StoreCopy.CopyAsync(Source([("/repo/a", 1), ("/repo/b", 1)]), _target, force: false, Cancel));
        var forced = await StoreCopy.CopyAsync(Source([("/repo/a", 1), ("/repo/b", 1)]), _target, force: true, Cancel);

        Assert.Equal("a key between /repo/a and /repo/b appeared in the target during the copy (another writer?); 0 keys were copied before it. Stop that writer and copy again with --force", refused.Message);
        Assert.Equal(2, forced.Keys);
        Assert.Equal([0], (await _target.GetAsync("/repo/b", Cancel))!.Value);
    }

    [Fact]
    public async Task AKeyThatIsNotUtf8_IsNotCopied()
    {
        var refused = await Assert.ThrowsAsync<MaintenanceRefusedException>(() => StoreCopy.CopyAsync(Source([("/repo/a", 1), ("/repo/\uFFFD", 1)]), _target, force: false, Cancel));

        Assert.Equal("the source key '/repo/\uFFFD' is not UTF-8 text and cannot be copied unchanged; 0 keys were copied before it", refused.Message);
        Assert.Null(await _target.GetAsync("/repo/a", Cancel));
    }

    [Fact]
    public async Task ATargetWithKeysUnderThePrefix_IsRefusedBeforeTheCopy_UnlessForced()
    {
        await _target.TxnAsync([], [new WriteOp.Put("/repo/z", [9])], Cancel);

        var refused = await Assert.ThrowsAsync<MaintenanceRefusedException>(() => StoreCopy.EnsureEmptyAsync(_target, "/repo/", "the target", force: false, Cancel));
        await StoreCopy.EnsureEmptyAsync(_target, "/repo/", "the target", force: true, Cancel);
        await StoreCopy.EnsureEmptyAsync(_target, "/other/", "the target", force: false, Cancel);

        Assert.Equal("the target already holds keys under '/repo/' (e.g. /repo/z): copy into an empty store, or add --force to overwrite the keys the source has (the target's other keys stay)", refused.Message);
    }

    [Theory]
    [InlineData("etcd:http://127.0.0.1:1,http://127.0.0.1:2", null, "etcd:http://127.0.0.1:2", null, true)]
    [InlineData("etcd:http://127.0.0.1:1", null, "etcd:http://127.0.0.1:2", null, false)]
    [InlineData("etcd:http://127.0.0.1:1", "/a/", "etcd:http://127.0.0.1:1", "a", true)]
    [InlineData("etcd:http://127.0.0.1:1", "a", "etcd:http://127.0.0.1:1", "b", false)]
    [InlineData("etcd:http://127.0.0.1:1", null, "sqlite:/tmp/x", null, false)]
    public void TwoLocations_AreTheSameStore_WhenTheyShareAnEndpointAndThePrefix(string a, string? aPrefix, string b, string? bPrefix, bool same)
    {
        var first = StoreLocation.Parse(a, aPrefix, out _)!;
        var second = StoreLocation.Parse(b, bPrefix, out _)!;

        Assert.Equal(same, first.SameAs(second));
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async IAsyncEnumerable<KeyValue> Source(IEnumerable<(string Key, int Bytes)> keys)
    {
        foreach (var (key, bytes) in keys)
        {
            await Task.Yield();
            yield return new KeyValue(key, new byte[bytes], 1, 1, 1);
        }
    }
}