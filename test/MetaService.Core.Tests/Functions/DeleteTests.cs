using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Delete: of a whole function every key of it goes, of one version only that version's; a function or version
/// that is not there, a failed If-Match, a version an alias routes to, are refused and leave the store as it was.</summary>
public sealed class DeleteTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task DeletingAFunction_RemovesEveryKeyOfIt_AndNoOtherFunctions()
    {
        await using var h = new ServiceHarness(history: true);
        var draft = await h.CreateAsync(ServiceHarness.Faas("0@svc@fn"));
        await h.PublishAsync("0@svc@fn", "v1");
        await h.CreateAsync(ServiceHarness.Faas("0@svc@fn2"));

        var deleted = await h.Service.DeleteAsync(Tenant, "0@svc@fn", null, null, ServiceHarness.Token);

        Assert.True(deleted.Value);
        Assert.Empty(await h.KeysAsync(PlatformKeys.FunctionRecords(Tenant, "0@svc@fn")));
        Assert.Empty(await h.KeysAsync(PlatformKeys.FunctionStatuses(Tenant, "0@svc@fn")));
        Assert.Empty(await h.KeysAsync(PlatformKeys.PublishedVersions("/sn/functions", Tenant, "0@svc@fn")));
        Assert.Empty(await h.KeysAsync(PlatformKeys.InstanceVersions(MetaOptions.DefaultCluster, Tenant, "0@svc@fn")));
        Assert.Equal(2, (await h.KeysAsync(PlatformKeys.FunctionStatuses(Tenant, "0@svc@fn2"))).Count + (await h.KeysAsync(PlatformKeys.FunctionRecords(Tenant, "0@svc@fn2"))).Count);
        Assert.Equal(4115, (await h.Service.GetAsync(Tenant, "0@svc@fn", null, null, ServiceHarness.Token)).Error!.Code);
        var entry = (await h.HistoryAsync("0@svc@fn"))[0];
        Assert.Equal((HistoryOperations.Delete, "", draft.RevisionId, ""), (entry.Operation, entry.Version, entry.RevisionIdBefore, entry.RevisionIdAfter));
    }

    [Theory]
    [InlineData("v1", null)]
    [InlineData(null, "v1")]
    public async Task DeletingAVersion_RemovesItsKeys_AndKeepsTheDraftAndTheOthers(string? versionNumber, string? qualifier)
    {
        await using var h = new ServiceHarness(history: true);
        await h.CreateAsync(ServiceHarness.Faas("0@svc@fn"));
        var v1 = await h.PublishAsync("0@svc@fn", "v1");
        await h.PublishAsync("0@svc@fn", "v2");

        var deleted = await h.Service.DeleteAsync(Tenant, "0@svc@fn", versionNumber, qualifier, ServiceHarness.Token);

        Assert.True(deleted.Value);
        Assert.Null(await h.RecordAsync("0@svc@fn", "v1"));
        Assert.Null(await h.GetAsync(PlatformKeys.Status(Tenant, "0@svc@fn", "v1")));
        Assert.Null(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Faas, Tenant, "0@svc@fn", "v1")));
        Assert.Null(await h.GetAsync(PlatformKeys.Instance(MetaOptions.DefaultCluster, Tenant, "0@svc@fn", "v1")));
        Assert.NotNull(await h.RecordAsync("0@svc@fn", "v2"));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Faas, Tenant, "0@svc@fn", "v2")));
        Assert.NotNull(await h.RecordAsync("0@svc@fn", "latest"));
        var entry = (await h.HistoryAsync("0@svc@fn"))[0];
        Assert.Equal((HistoryOperations.DeleteVersion, "v1", v1.RevisionId), (entry.Operation, entry.Version, entry.RevisionIdBefore));
    }

    [Theory]
    [InlineData("latest", null)]
    [InlineData(null, "$latest")]
    public async Task DeletingTheDraftsVersion_DeletesTheWholeFunction(string? versionNumber, string? qualifier)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", versionNumber, qualifier, ServiceHarness.Token);

        Assert.Empty(await h.KeysAsync(PlatformKeys.FunctionRecords(Tenant, "0-svc-fn")));
    }

    [Fact]
    public async Task AFunctionThatIsNotThere_IsRefusedWith4115()
    {
        await using var h = new ServiceHarness();

        var deleted = await h.Service.DeleteAsync(Tenant, "0-svc-gone", null, null, ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionNotFound("0-svc-gone"), deleted.Error);
    }

    [Fact]
    public async Task AVersionThatIsNotThere_IsRefusedWith4116_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var deleted = await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v9", null, ServiceHarness.Token);

        Assert.Equal(MetaError.VersionNotFound("0-svc-fn", "v9"), deleted.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task AMalformedQualifier_IsRefusedWith121047()
    {
        await using var h = new ServiceHarness();

        var deleted = await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, "-bad", ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidQualifier("invalid qualifier: -bad"), deleted.Error);
    }

    [Fact]
    public async Task IfMatch_OfAFunction_IsCheckedOnTheDraftsRevisionId()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var v1 = await h.PublishAsync("0-svc-fn", "v1");
        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = draft.RevisionId, Description = "x" }, ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var failed = await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, [v1.RevisionId], ServiceHarness.Token);
        Assert.Equal(MetaError.IfMatchFailed(), failed.Error);
        Assert.Equal(before, await h.RevisionAsync());

        var matched = await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ["1", updated.Value!.RevisionId], ServiceHarness.Token);
        Assert.True(matched.Value);
    }

    [Fact]
    public async Task IfMatch_OfAVersion_IsCheckedOnThatVersionsRevisionId()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var v1 = await h.PublishAsync("0-svc-fn", "v1");
        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = draft.RevisionId, Description = "x" }, ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var failed = await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v1", null, [updated.Value!.RevisionId], ServiceHarness.Token);
        Assert.Equal(MetaError.IfMatchFailed(), failed.Error);
        Assert.Equal(before, await h.RevisionAsync());

        var matched = await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v1", null, [v1.RevisionId], ServiceHarness.Token);
        Assert.True(matched.Value);
        Assert.Null(await h.RecordAsync("0-svc-fn", "v1"));
    }

    [Fact]
    public async Task AVersionAnAliasRoutesTo_IsRefusedWith4105_AndTheFunctionCanStillBeDeleted()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        var alias = await new AliasService(h.Store, h.Options, h.Clock).CreateAsync(Tenant, "0-svc-fn", new AliasRequest { Name = "prod", FunctionVersion = "v1" }, null, ServiceHarness.Token);
        Assert.Null(alias.Error);
        var before = await h.RevisionAsync();

        var refused = await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v1", null, ServiceHarness.Token);
        Assert.Equal(4105, refused.Error!.Code);
        Assert.Equal(before, await h.RevisionAsync());

        Assert.True((await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value);
        Assert.Empty(await h.KeysAsync(PlatformKeys.Aliases(Tenant, "0-svc-fn")));
        Assert.Empty(await h.KeysAsync(AliasKeys.Records(Tenant, "0-svc-fn")));
        Assert.Empty(await h.KeysAsync(AliasKeys.RoutingIndexes(Tenant, "0-svc-fn")));
        Assert.Null(await h.GetAsync(AliasKeys.Guard(Tenant, "0-svc-fn")));
    }

    [Fact]
    public async Task AVersionWhoseRecordCannotBeRead_IsDeleted_WithThePlatformKeysOfEitherKind()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var sn = PlatformKeys.Published(FunctionKinds.Faas, Tenant, "0-svc-fn", "v9");
        var yr = PlatformKeys.Published(FunctionKinds.Yrlib, Tenant, "0-svc-fn", "v9");
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "v9"), "not json"u8.ToArray()), new WriteOp.Put(sn, "{}"u8.ToArray()), new WriteOp.Put(yr, "{}"u8.ToArray())], ServiceHarness.Token);

        var deleted = await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v9", null, ServiceHarness.Token);

        Assert.True(deleted.Value);
        Assert.Null(await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "v9")));
        Assert.Null(await h.GetAsync(sn));
        Assert.Null(await h.GetAsync(yr));
        Assert.NotNull(await h.RecordAsync("0-svc-fn", "$latest"));
    }

    [Fact]
    public async Task IfMatch_OfAFunctionWhoseDraftCannotBeRead_Fails()
    {
        await using var h = new ServiceHarness();
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"), "not json"u8.ToArray())], ServiceHarness.Token);

        var deleted = await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ["1"], ServiceHarness.Token);

        Assert.Equal(MetaError.IfMatchFailed(), deleted.Error);
        Assert.True((await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value);
        Assert.Empty(await h.KeysAsync(PlatformKeys.FunctionRecords(Tenant, "0-svc-fn")));
    }

    [Fact]
    public async Task IfMatch_OnAFunctionsDelete_IsTheDraftsRevisionId_EvenWhenAVersionSortsBeforeTheDraft()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Faas());
        await h.PublishAsync("0@svc@fn", "1");
        var updated = await h.Service.UpdateAsync(Tenant, "0@svc@fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "changed" }, ServiceHarness.Token);
        var before = await h.RevisionAsync();

        var refused = await h.Service.DeleteAsync(Tenant, "0@svc@fn", null, null, [created.RevisionId], ServiceHarness.Token);
        Assert.Equal(MetaError.IfMatchFailed(), refused.Error);
        Assert.Equal(before, await h.RevisionAsync());

        Assert.True((await h.Service.DeleteAsync(Tenant, "0@svc@fn", null, null, [updated.Value!.RevisionId], ServiceHarness.Token)).Value);
        Assert.Empty(await h.KeysAsync(PlatformKeys.FunctionRecords(Tenant, "0@svc@fn")));
    }
}