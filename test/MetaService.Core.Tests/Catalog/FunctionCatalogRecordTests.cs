using MetaService.Core.Catalog;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

using static MetaService.Core.Tests.Catalog.StoredRecords;

namespace MetaService.Core.Tests.Catalog;

/// <summary>The records behind the catalog's entries: a record is answered as of its entry's revision (from the records
/// kept decoded, else from the store, else from the store's history when written since), a recalled record is kept for
/// the next update, and a version gone answers nothing.</summary>
public sealed class FunctionCatalogRecordTests
{
    private static readonly Tenant Alice = new("alice", "shop");
    private static readonly string Key = PlatformKeys.Record(Alice, "0-svc-a", "latest");

    [Fact]
    public async Task Recall_AnswersTheStoredRecord_AndKeepsItDecoded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest", "first");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);

        var recalled = await catalog.RecallAsync(Key, ct);
        var bytes = catalog.CachedRecordBytes;
        var again = await catalog.RecallAsync(Key, ct);

        Assert.Equal((Key, put, "first"), (recalled!.Value.Key, recalled.Value.ModRevision, recalled.Value.Record.Description));
        Assert.Equal((await temp.Store.GetAsync(Key, ct))!.Value.Length + RecordCache.EntryOverhead, bytes);
        Assert.Same(recalled.Value.Record, again!.Value.Record);
        Assert.Null(await catalog.RecallAsync(PlatformKeys.Record(Alice, "0-svc-a", "v9"), ct));
    }

    [Fact]
    public async Task RecordOf_ReadsTheStore_WithoutKeepingTheRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest", "first");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        var entry = await catalog.GetAsync(Key, ct);

        var record = await catalog.RecordOfAsync(entry!, ct);

        Assert.Equal("first", record!.Value.Record.Description);
        Assert.Equal(0, catalog.CachedRecordBytes);
    }

    [Fact]
    public async Task ARecordKept_IsAnsweredAtItsRevision_WithoutReadingTheStore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest", "stored");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        var kept = Record(Alice, "0-svc-a", "latest", "kept");

        catalog.Keep(Key, put, kept, 100);
        var entry = await catalog.GetAsync(Key, ct);

        Assert.Same(kept, (await catalog.RecordOfAsync(entry!, ct))!.Value.Record);
        Assert.Same(kept, (await catalog.RecallAsync(Key, ct))!.Value.Record);
        Assert.Equal(100 + RecordCache.EntryOverhead, catalog.CachedRecordBytes);
    }

    [Fact]
    public async Task AnEntryTheStoreHasWrittenSince_IsAnsweredAsOfTheEntrysRevision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var first = await PutAsync(temp.Store, Alice, "0-svc-a", "latest", "first");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        var entry = await catalog.GetAsync(Key, ct);

        var second = await PutAsync(temp.Store, Alice, "0-svc-a", "latest", "second");
        var then = await catalog.RecordOfAsync(entry!, ct);
        await catalog.WaitForAsync(second, ct);
        var now = await catalog.RecordOfAsync((await catalog.GetAsync(Key, ct))!, ct);

        Assert.Equal((first, "first"), (then!.Value.ModRevision, then.Value.Record.Description));
        Assert.Equal((second, "second"), (now!.Value.ModRevision, now.Value.Record.Description));
    }

    [Fact]
    public async Task AnEntryWhoseVersionIsGone_HasNoRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        await using var catalog = new FunctionCatalog(temp.Store, TimeProvider.System);
        var entry = await catalog.GetAsync(Key, ct);

        await DeleteAsync(temp.Store, Key);

        Assert.Null(await catalog.RecordOfAsync(entry!, ct));
    }

    [Fact]
    public async Task BeforeItHasLoaded_AGetByKey_IsAnsweredFromTheStore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var temp = new TempStore();
        var put = await PutAsync(temp.Store, Alice, "0-svc-a", "latest");
        var loading = new HeldStore(temp.Store);
        await using var catalog = new FunctionCatalog(loading, TimeProvider.System);

        var entry = await catalog.GetAsync(Key, ct);
        var missing = await catalog.GetAsync(PlatformKeys.Record(Alice, "0-svc-a", "v1"), ct);
        loading.Release();

        Assert.Equal((Key, put, "0-svc-a", "latest"), (entry!.Key, entry.ModRevision, entry.Name, entry.Version));
        Assert.Null(missing);
        Assert.Equal(1, await catalog.FunctionCountAsync(Alice, ct));
    }

    /// <summary>The store, whose range reads (the catalog's load) wait until released.</summary>
    private sealed class HeldStore(IMetaStore inner) : DelegatingStore(inner)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public override async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
        {
            await _released.Task.WaitAsync(cancellationToken);
            return await Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
        }
    }
}