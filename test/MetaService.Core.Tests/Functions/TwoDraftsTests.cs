using System.Text.Json.Nodes;

using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>A name with drafts of both kinds (the original allows it; MetaService never makes one): the kind a change
/// names decides which draft it changes, and without one the draft of the other kinds goes first.</summary>
public sealed class TwoDraftsTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    private static async Task<ServiceHarness> TwoDraftsAsync()
    {
        var h = new ServiceHarness();
        var faas = FunctionRules.BuildDraft(ServiceHarness.Faas("0-svc-fn") with { Description = "faas" }, Tenant, h.Options, h.Clock).Value!;
        var yrlib = FunctionRules.BuildDraft(ServiceHarness.Yrlib("0-svc-fn") with { Description = "yrlib" }, Tenant, h.Options, h.Clock).Value!;
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "latest"), FunctionEntry.Encode(faas)), new WriteOp.Put(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest"), FunctionEntry.Encode(yrlib))], ServiceHarness.Token);
        await h.Catalog.WaitForAsync(await h.RevisionAsync(), ServiceHarness.Token);
        return h;
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, "latest")]
    [InlineData(FunctionKinds.Yrlib, "$latest")]
    [InlineData(null, "$latest")]
    public async Task AnUpdate_ChangesTheDraftOfTheKindItNames(string? kind, string changed)
    {
        await using var h = await TwoDraftsAsync();
        var revisionId = (await h.RecordAsync("0-svc-fn", changed))!.RevisionId;

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { Kind = kind, RevisionId = revisionId, Handler = "h.changed" }, ServiceHarness.Token);

        Assert.Equal(changed, updated.Value!.VersionNumber);
        Assert.Equal("h.changed", (await h.RecordAsync("0-svc-fn", changed))!.Handler);
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, "latest")]
    [InlineData(FunctionKinds.Yrlib, "$latest")]
    [InlineData(null, "$latest")]
    public async Task APatch_ChangesTheDraftOfTheKindItNames(string? kind, string changed)
    {
        await using var h = await TwoDraftsAsync();
        var patch = new JsonObject { ["handler"] = "h.changed" };
        if (kind is not null)
        {
            patch["kind"] = kind;
        }

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", patch, null, ServiceHarness.Token);

        Assert.Equal(changed, patched.Value!.VersionNumber);
        Assert.Equal("h.changed", (await h.RecordAsync("0-svc-fn", changed))!.Handler);
    }

    [Theory]
    [InlineData(FunctionKinds.Faas, "latest")]
    [InlineData(FunctionKinds.Yrlib, "$latest")]
    public async Task ARestore_ChangesTheDraftOfItsSourcesKind(string kind, string changed)
    {
        await using var h = await TwoDraftsAsync();
        var draft = (await h.RecordAsync("0-svc-fn", changed))!;

        var restored = await h.Service.RestoreAsync(Tenant, "0-svc-fn", draft with { Handler = "h.changed" }, draft.RevisionId, null, ServiceHarness.Token);

        Assert.Equal((changed, kind), (restored.Value!.Function.VersionNumber, restored.Value.Function.Kind));
        Assert.Equal("h.changed", (await h.RecordAsync("0-svc-fn", changed))!.Handler);
    }

    [Fact]
    public async Task AGetOfTheDraft_AnswersTheOtherKindsDraft()
    {
        await using var h = await TwoDraftsAsync();

        var got = await h.Service.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Equal(("$latest", "yrlib"), (got.Value!.VersionNumber, got.Value.Description));
    }
}