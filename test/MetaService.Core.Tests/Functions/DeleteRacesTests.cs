using System.Text;

using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Tests.Fixtures;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A delete decides on what it read (the aliases that route to the version, the count of a package) and its
/// transaction compares all of it: another write landing between its reads and its commit makes it read again, so that
/// no routed version goes and no count is written over.</summary>
public sealed class DeleteRacesTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    private static FunctionRequest Managed(string name) =>
        ServiceHarness.Yrlib(name) with { CodeUploadType = "s3", S3CodePath = new S3CodePath { BucketId = "bucket", ObjectId = "a.zip" } };

    [Fact]
    public async Task AnAliasMadeWhileAVersionsDeleteIsCommitting_KeepsTheVersion()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        var aliases = new AliasService(h.Store, h.Options, h.Clock);
        await using var racing = new BeforeFirstTxnStore(h.Store, async () =>
            Assert.Null((await aliases.CreateAsync(Tenant, "0-svc-fn", new AliasRequest { Name = "prod", FunctionVersion = "v1" }, null, ServiceHarness.Token)).Error));
        var service = h.ServiceOver(racing, out var catalog);

        var deleted = await service.DeleteAsync(Tenant, "0-svc-fn", "v1", null, ServiceHarness.Token);

        Assert.Equal(4105, deleted.Error!.Code);
        Assert.NotNull(await h.RecordAsync("0-svc-fn", "v1"));
    }

    [Fact]
    public async Task APackageCountedWhileAFunctionsDeleteIsCommitting_KeepsThatCount()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Managed("0-svc-fn"));
        await using var racing = new BeforeFirstTxnStore(h.Store, () => h.CreateAsync(Managed("0-svc-other")));
        var service = h.ServiceOver(racing, out var catalog);

        var deleted = await service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.True(deleted.Value);
        var count = await h.GetAsync(PlatformKeys.ObjectRef(Tenant, "bucket", "a.zip"));
        Assert.Equal("""{"RefCnt":1}""", count is null ? null : Encoding.UTF8.GetString(count.Value));
    }

    /// <summary>A store whose first transaction is preceded by another writer's write (<paramref name="before"/>), as
    /// when a concurrent request commits between a write's reads and its own commit.</summary>
    private sealed class BeforeFirstTxnStore(IMetaStore inner, Func<Task> before) : DelegatingStore(inner)
    {
        private Func<Task>? _before = before;

        public override async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _before, null) is { } write)
            {
                await write();
            }

            return await base.TxnAsync(compares, writes, cancellationToken);
        }
    }
}