using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Create: the draft it stores with its status and platform keys, the view it answers, and every refusal
/// (a broken rule, a taken name of either kind, the tenant's limit, a record too large) leaving the store as it was.</summary>
public sealed class CreateTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task ACreate_StoresTheDraft_ItsStatusAndPlatformKeys_AndAnswersItsView()
    {
        await using var h = new ServiceHarness();

        var view = await h.CreateAsync(ServiceHarness.Faas() with { Description = "first" });

        Assert.Equal(("0@svc@fn", "latest", "first", "faas"), (view.Name, view.VersionNumber, view.Description, view.Kind));
        Assert.Equal("sn:cn:yrk:alice@shop:function:0@svc@fn:latest", view.FunctionVersionUrn);
        Assert.Equal("2024-05-09 02:25:49.477 UTC", view.CreateTime);
        Assert.Equal("20240509022549477", view.RevisionId);
        var stored = await h.RecordAsync("0@svc@fn", "latest");
        Assert.Equal((view.RevisionId, "first", 60L), (stored!.RevisionId, stored.Description, stored.Timeout));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Status(Tenant, "0@svc@fn", "latest")));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Faas, Tenant, "0@svc@fn", "latest")));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Instance(MetaOptions.DefaultCluster, Tenant, "0@svc@fn", "latest")));
        var got = await h.Service.GetAsync(Tenant, "0@svc@fn", null, null, ServiceHarness.Token);
        Assert.Equal(ServiceHarness.Json(view), ServiceHarness.Json(got.Value));
    }

    [Fact]
    public async Task ABrokenRule_IsRefusedWith4104_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var before = await h.RevisionAsync();

        var created = await h.Service.CreateAsync(Tenant, ServiceHarness.Faas() with { Cpu = 1 }, ServiceHarness.Token);

        Assert.Equal(4104, created.Error!.Code);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, FunctionKinds.Faas)]
    [InlineData(FunctionKinds.Faas, FunctionKinds.Yrlib)]
    [InlineData(FunctionKinds.Yrlib, FunctionKinds.Faas)]
    [InlineData(FunctionKinds.Yrlib, FunctionKinds.Yrlib)]
    public async Task ANameTaken_ByADraftOfEitherKind_IsRefusedWith4101_AndWritesNothing(string first, string second)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-fn") with { Kind = first });
        var before = await h.RevisionAsync();

        var created = await h.Service.CreateAsync(Tenant, ServiceHarness.Yrlib("0-svc-fn") with { Kind = second }, ServiceHarness.Token);

        Assert.Equal(MetaError.NameExists(), created.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task TheTenantsLimit_RefusesTheFunctionPastIt_AndCountsOnlyThatTenant()
    {
        await using var h = new ServiceHarness(new MetaOptions { FunctionMax = 2 });
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));
        var before = await h.RevisionAsync();

        var refused = await h.Service.CreateAsync(Tenant, ServiceHarness.Yrlib("0-svc-c"), ServiceHarness.Token);
        var otherTenant = await h.Service.CreateAsync(new Tenant("bob"), ServiceHarness.Yrlib("0-svc-c"), ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionLimit(2), refused.Error);
        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Null(otherTenant.Error);
        Assert.Equal(before + 1, await h.RevisionAsync());
    }

    [Fact]
    public async Task ALimitOfZero_IsNoLimit()
    {
        await using var h = new ServiceHarness(new MetaOptions { FunctionMax = 0 });

        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-a"));
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-b"));

        Assert.Equal(2, await h.Catalog.FunctionCountAsync(Tenant, ServiceHarness.Token));
    }

    [Fact]
    public async Task ARecordLargerThanAllowed_IsRefusedWith413_AndWritesNothing()
    {
        await using var h = new ServiceHarness(new MetaOptions { RecordBytesMax = 4096 });
        var before = await h.RevisionAsync();

        var created = await h.Service.CreateAsync(Tenant, ServiceHarness.Yrlib() with { Description = new string('d', 1000), Environment = new() { ["A"] = new string('e', 3000) } }, ServiceHarness.Token);

        Assert.Equal(ErrorKind.TooLarge, created.Error!.Kind);
        Assert.StartsWith("the function's stored record would be ", created.Error.Message, StringComparison.Ordinal);
        Assert.Contains("more than the 4096 allowed", created.Error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task ARider_CommitsWithTheCreate_AndIsGivenItsView()
    {
        await using var h = new ServiceHarness();
        FunctionView? given = null;
        var rider = new TxnRider<FunctionView>([Compare.Absent("/test/idem")], v =>
        {
            given = v;
            return [new WriteOp.Put("/test/idem", "x"u8.ToArray())];
        });

        var created = await h.Service.CreateAsync(Tenant, ServiceHarness.Yrlib(), rider, ServiceHarness.Token);

        Assert.Equal(created.Value, given);
        var riderKey = await h.GetAsync("/test/idem");
        var record = await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"));
        Assert.Equal(record!.ModRevision, riderKey!.ModRevision);
    }

    [Fact]
    public async Task ARiderWhoseKeyWasTaken_AnswersTaken_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        await h.Store.TxnAsync([], [new WriteOp.Put("/test/idem", "other"u8.ToArray())], ServiceHarness.Token);
        var before = await h.RevisionAsync();
        var rider = new TxnRider<FunctionView>([Compare.Absent("/test/idem")], _ => [new WriteOp.Put("/test/idem", "x"u8.ToArray())]);

        var created = await h.Service.CreateAsync(Tenant, ServiceHarness.Yrlib(), rider, ServiceHarness.Token);

        Assert.Equal(TxnRiders.Taken(), created.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task ADryRun_AnswersTheView_AndStoresNothing()
    {
        await using var h = new ServiceHarness();
        var before = await h.RevisionAsync();
        var dry = h.Service.AsDryRun();

        var created = await dry.CreateAsync(Tenant, ServiceHarness.Yrlib(), ServiceHarness.Token);

        Assert.True(dry.IsDryRun);
        Assert.False(h.Service.IsDryRun);
        Assert.Same(dry, dry.AsDryRun());
        Assert.Equal("0-svc-fn", created.Value!.Name);
        Assert.Equal(before, await h.RevisionAsync());
        Assert.Equal(4115, (await h.Service.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Error!.Code);
    }

    [Fact]
    public async Task WithAHistoryLog_ACreate_WritesItsEntryInTheSameTransaction()
    {
        await using var h = new ServiceHarness(history: true);

        var view = await h.CreateAsync(ServiceHarness.Yrlib());

        var entry = Assert.Single(await h.HistoryAsync("0-svc-fn"));
        var record = await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"));
        Assert.Equal((HistoryOperations.Create, "$latest", "", view.RevisionId), (entry.Operation, entry.Version, entry.RevisionIdBefore, entry.RevisionIdAfter));
        Assert.Equal(record!.ModRevision, entry.Revision);
    }

    [Fact]
    public async Task AFunctionOfAnotherKind_NamedLikeAFaasOne_HasNoServiceOrFuncName()
    {
        await using var h = new ServiceHarness();

        await h.CreateAsync(ServiceHarness.Yrlib("0@svc@fn"));

        var stored = await h.RecordAsync("0@svc@fn", "$latest");
        Assert.Equal(("", ""), (stored!.Service, stored.FuncName));
    }

    [Fact]
    public async Task ACreate_WritesTheRecordFirst_SoAWatcherMeetsItBeforeThePlatformKeys()
    {
        await using var h = new ServiceHarness();
        var before = await h.RevisionAsync();

        await h.CreateAsync(ServiceHarness.Faas());

        await using var changes = h.Store.WatchAsync("/", before + 1, ServiceHarness.Token).GetAsyncEnumerator(ServiceHarness.Token);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(PlatformKeys.Record(Tenant, "0@svc@fn", "latest"), changes.Current.Kv.Key);
    }
}