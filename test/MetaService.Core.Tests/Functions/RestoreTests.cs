using MetaService.Core.Functions;
using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Restore: the draft takes an earlier record's configuration as a new revision (its identity, times and
/// publish state kept), answers the changes it made, and needs the draft's current revisionId.</summary>
public sealed class RestoreTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task ARestore_TakesTheSourcesConfiguration_AndKeepsTheDraftsIdentity()
    {
        await using var h = new ServiceHarness(history: true);
        var created = await h.CreateAsync(ServiceHarness.Yrlib() with { Description = "old", Cpu = 600 });
        await h.PublishAsync("0-svc-fn", "v1");
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "new", Cpu = 800 }, ServiceHarness.Token);
        var draft = await h.RecordAsync("0-svc-fn", "$latest");
        var source = (await h.RecordAsync("0-svc-fn", "v1"))!;
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var restored = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, updated.Value!.RevisionId, null, ServiceHarness.Token);

        var result = restored.Value!;
        Assert.Equal(("old", 600L, "$latest", "20240509022551477"), (result.Function.Description, result.Function.Cpu, result.Function.VersionNumber, result.Function.RevisionId));
        var after = (await h.RecordAsync("0-svc-fn", "$latest"))!;
        Assert.Equal(
            ServiceHarness.Json(source with
            {
                Version = "$latest",
                VersionDesc = draft!.VersionDesc,
                RevisionId = "20240509022551477",
                CreateTime = draft.CreateTime,
                UpdateTime = "2024-05-09 02:25:51.477 UTC",
                PublishTime = draft.PublishTime,
                LastPublishedVersion = draft.LastPublishedVersion,
                Status = draft.Status,
            }),
            ServiceHarness.Json(after));
        var paths = result.Changes.Select(c => c.Path).ToList();
        Assert.Superset(new HashSet<string> { "cpu", "description", "revisionId", "updateTime" }, paths.ToHashSet());
        Assert.DoesNotContain(paths, p => p is "name" or "version" or "createTime" or "publishTime" or "lastPublishedVersion");
        var entry = (await h.HistoryAsync("0-svc-fn"))[0];
        Assert.Equal((HistoryOperations.Restore, updated.Value.RevisionId, "20240509022551477"), (entry.Operation, entry.RevisionIdBefore, entry.RevisionIdAfter));
    }

    [Fact]
    public async Task ARestore_FromAnotherFunctionsRecord_KeepsThisFunctionsNameTenantAndKind()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Faas("0@svc@fn"));
        var source = FunctionRules.BuildDraft(ServiceHarness.Rich("0-other-fn"), new Tenant("bob", "x"), h.Options, h.Clock).Value!;

        var restored = await h.Service.RestoreAsync(Tenant, "0@svc@fn", source with { Kind = FunctionKinds.Faas }, created.RevisionId, null, ServiceHarness.Token);

        var after = (await h.RecordAsync("0@svc@fn", "latest"))!;
        Assert.Equal(("alice", "shop", "0@svc@fn", "faas", "fn", "svc"), (after.TenantId, after.ProductId, after.Name, after.Kind, after.FuncName, after.Service));
        Assert.Equal("rich one", restored.Value!.Function.Description);
    }

    [Fact]
    public async Task ARestoreWithoutARevisionIdOrIfMatch_IsRefused()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var source = (await h.RecordAsync("0-svc-fn", "$latest"))!;

        var restored = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, "", null, ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidParam("restore needs the draft's current revisionId: give revisionId in the body or If-Match"), restored.Error);
    }

    [Fact]
    public async Task AStaleRevisionId_OrAFailedIfMatch_IsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var source = (await h.RecordAsync("0-svc-fn", "$latest"))! with { Description = "restored" };
        var before = await h.RevisionAsync();

        var stale = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, "20200101000000", null, ServiceHarness.Token);
        var failed = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, null, ["1"], ServiceHarness.Token);
        var both = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, created.RevisionId, ["1"], ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), stale.Error);
        Assert.Equal(MetaError.IfMatchFailed(), failed.Error);
        Assert.Equal(MetaError.IfMatchFailed(), both.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task IfMatchAlone_NamingTheDraft_Restores()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var source = (await h.RecordAsync("0-svc-fn", "$latest"))! with { Description = "restored" };

        var restored = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, null, [created.RevisionId], ServiceHarness.Token);

        Assert.Equal("restored", restored.Value!.Function.Description);
        Assert.Equal("description", Assert.Single(restored.Value.Changes, c => c.Path != "revisionId" && c.Path != "updateTime").Path);
    }

    [Fact]
    public async Task ARestoreOfAFunctionThatIsNotThere_IsRefusedWith4115()
    {
        await using var h = new ServiceHarness();
        var source = FunctionRules.BuildDraft(ServiceHarness.Yrlib(), Tenant, h.Options, h.Clock).Value!;

        var restored = await h.Service.RestoreAsync(Tenant, "0-svc-fn", source, "1", null, ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionNotFound("0-svc-fn"), restored.Error);
    }
}