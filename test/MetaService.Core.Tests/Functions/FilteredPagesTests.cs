using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A page in key order with a record filter reads the records of the versions it looks at, and versions may be
/// written meanwhile: it reads no more records than it needs, it looks at what its first pass read (so a version made
/// during that pass is not in it), and it answers the revision of its first pass, so that a watch from that revision
/// delivers whatever changed while it was read.</summary>
public sealed class FilteredPagesTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;
    private static readonly FunctionQuery All = new(null, null, null, Paging.Default);
    private static readonly ListFilter FaasOnly = new(FunctionKinds.Faas, null, null);

    /// <summary>Puts the drafts of <paramref name="names"/> (faas when <paramref name="faas"/> says so) in the store in one
    /// transaction, as another replica would, so that no catalog keeps them decoded; answers its revision.</summary>
    private static async Task<long> PutAsync(ServiceHarness h, Func<string, bool> faas, params IEnumerable<string> names)
    {
        var writes = new List<WriteOp>();
        foreach (var name in names)
        {
            var record = FunctionRules.BuildDraft(faas(name) ? ServiceHarness.Faas(name) : ServiceHarness.Yrlib(name), Tenant, h.Options, h.Clock).Value!;
            writes.Add(new WriteOp.Put(PlatformKeys.Record(Tenant, name, record.Version), FunctionEntry.Encode(record)));
        }

        return (await h.Store.TxnAsync([], writes, ServiceHarness.Token)).Revision;
    }

    private static IEnumerable<string> Numbered(int count) => Enumerable.Range(0, count).Select(i => $"0-svc-f{i:D3}");

    [Fact]
    public async Task AFilteredPage_ReadsTheRecordsOfNoMoreVersionsThanItNeeds()
    {
        await using var h = new ServiceHarness();
        await using var reads = new RecordReads(h.Store);
        var service = h.ServiceOver(reads, out var catalog);
        await catalog.WaitForAsync(await PutAsync(h, _ => true, "0-svc-a", "0-svc-b", "0-svc-c", "0-svc-d", "0-svc-e"), ServiceHarness.Token);

        var page = (await service.ListAfterAsync(Tenant, All, FaasOnly, new KeyPaging(1, null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-a"], page.Functions!.Select(f => f.Name));
        Assert.NotNull(page.Next);
        Assert.Equal(2, reads.Count);
    }

    [Fact]
    public async Task AVersionMadeWhileAPageReadsItsRecords_IsNotInIt_AndIsAfterTheRevisionItAnswers()
    {
        await using var h = new ServiceHarness();
        await using var reads = new RecordReads(h.Store);
        var service = h.ServiceOver(reads, out var catalog);
        var listed = await PutAsync(h, name => name == "0-svc-a", "0-svc-a", "0-svc-b", "0-svc-d");
        await catalog.WaitForAsync(listed, ServiceHarness.Token);
        reads.OnFirst(async () => await catalog.WaitForAsync(await PutAsync(h, _ => true, "0-svc-c"), ServiceHarness.Token));

        var page = (await service.ListAfterAsync(Tenant, All, FaasOnly, new KeyPaging(1, null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-a"], page.Functions!.Select(f => f.Name));
        Assert.Null(page.Next);
        Assert.Equal(listed, page.Revision);
    }

    [Fact]
    public async Task APageOfSeveralPasses_AnswersTheRevisionOfItsFirst()
    {
        await using var h = new ServiceHarness();
        await using var reads = new RecordReads(h.Store);
        var service = h.ServiceOver(reads, out var catalog);
        var listed = await PutAsync(h, name => name == "0-svc-f299", Numbered(300));
        await catalog.WaitForAsync(listed, ServiceHarness.Token);
        reads.OnFirst(async () => await catalog.WaitForAsync(await PutAsync(h, _ => true, "0-svc-a"), ServiceHarness.Token));

        var page = (await service.ListAfterAsync(Tenant, All, FaasOnly, new KeyPaging(2, null), ServiceHarness.Token)).Value!;

        Assert.Equal(["0-svc-f299"], page.Functions!.Select(f => f.Name));
        Assert.Equal(listed, page.Revision);
    }

    [Fact]
    public async Task ALargePage_IsReadInOnePass_OfItsLimitAndOne()
    {
        await using var h = new ServiceHarness();
        await using var reads = new RecordReads(h.Store);
        var service = h.ServiceOver(reads, out var catalog);
        await catalog.WaitForAsync(await PutAsync(h, _ => true, Numbered(302)), ServiceHarness.Token);
        reads.OnFirst(async () => await catalog.WaitForAsync(await PutAsync(h, _ => true, "0-svc-f298x"), ServiceHarness.Token));

        var page = (await service.ListAfterAsync(Tenant, All, FaasOnly, new KeyPaging(300, null), ServiceHarness.Token)).Value!;

        Assert.Equal(Numbered(300), page.Functions!.Select(f => f.Name));
        Assert.NotNull(page.Next);
    }

    /// <summary>A store that counts the reads of function records, and can run a write, once, at the first of them.</summary>
    private sealed class RecordReads(IMetaStore inner) : DelegatingStore(inner)
    {
        private Func<Task>? _first;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void OnFirst(Func<Task> write) => _first = write;

        public override async Task<KeyValue?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            if (key.StartsWith(PlatformKeys.RecordRoot, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
                if (Interlocked.Exchange(ref _first, null) is { } write)
                {
                    await write();
                }
            }

            return await base.GetAsync(key, cancellationToken);
        }
    }
}