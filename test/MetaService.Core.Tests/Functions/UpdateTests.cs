using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Update: it merges into the draft it names by revisionId and stores the result, and refuses (writing nothing)
/// a stale revisionId, a function that is not there, a name that is not one, a record too large.</summary>
public sealed class UpdateTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task AnUpdate_WithTheDraftsRevisionId_StoresTheMergedDraft()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "second", Cpu = 700 }, ServiceHarness.Token);

        Assert.Equal(("second", 700L, "2024-05-09 02:25:50.477 UTC", "20240509022550477"), (updated.Value!.Description, updated.Value.Cpu, updated.Value.UpdateTime, updated.Value.RevisionId));
        var stored = await h.RecordAsync("0-svc-fn", "$latest");
        Assert.Equal(("second", 700L, updated.Value.RevisionId), (stored!.Description, stored.Cpu, stored.RevisionId));
        Assert.Equal(ServiceHarness.Json(updated.Value), ServiceHarness.Json((await h.Service.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value));
    }

    [Fact]
    public async Task AStaleRevisionId_IsRefusedWith4134_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = "20200101000000", Description = "x" }, ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), updated.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task AFunctionThatIsNotThere_IsRefusedWith4115_ByItsBareName()
    {
        await using var h = new ServiceHarness();

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-gone", new FunctionRequest { RevisionId = "1" }, ServiceHarness.Token);

        Assert.Equal(MetaError.FunctionNotFound("0-svc-gone"), updated.Error);
        Assert.Equal("function [gone] is not found. check input parameters", updated.Error!.Message);
    }

    [Fact]
    public async Task ANameThatIsNotOne_IsRefused()
    {
        await using var h = new ServiceHarness();

        var updated = await h.Service.UpdateAsync(Tenant, "bad name", new FunctionRequest(), ServiceHarness.Token);

        Assert.Equal(4104, updated.Error!.Code);
    }

    [Theory]
    [InlineData(FunctionKinds.Yrlib, null)]
    [InlineData(FunctionKinds.Yrlib, FunctionKinds.Yrlib)]
    [InlineData(FunctionKinds.Faas, null)]
    [InlineData(FunctionKinds.Faas, FunctionKinds.Faas)]
    public async Task TheDraft_IsFound_WhateverKindTheRequestHints(string kind, string? hint)
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib("0-svc-fn") with { Kind = kind });

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Kind = hint, Description = "found" }, ServiceHarness.Token);

        Assert.Equal(("found", created.VersionNumber), (updated.Value!.Description, updated.Value.VersionNumber));
    }

    [Fact]
    public async Task AHintOfAnotherKind_FindsTheDraft_AndIsRefusedAsAKindChange()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Kind = FunctionKinds.Faas }, ServiceHarness.Token);

        Assert.Equal("kind cannot be changed: the function's kind is 'yrlib', the request's 'faas'. check input parameters", updated.Error!.Message);
    }

    [Fact]
    public async Task AnUpdateMakingTheRecordTooLarge_IsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness(new MetaOptions { RecordBytesMax = 4096 });
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = new string('d', 1000), Environment = new() { ["A"] = new string('e', 3000) } }, ServiceHarness.Token);

        Assert.Equal(ErrorKind.TooLarge, updated.Error!.Kind);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task ADryRunUpdate_AnswersTheMergedDraft_AndLeavesTheStoredOneAsItWas()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib() with { Description = "kept" });
        var before = await h.RevisionAsync();

        var updated = await h.Service.AsDryRun().UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "dry" }, ServiceHarness.Token);

        Assert.Equal("dry", updated.Value!.Description);
        Assert.Equal(before, await h.RevisionAsync());
        Assert.Equal("kept", (await h.Service.GetAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token)).Value!.Description);
        var again = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Handler = "h.other" }, ServiceHarness.Token);
        Assert.Equal(("kept", "h.other"), (again.Value!.Description, again.Value.Handler));
    }

    [Fact]
    public async Task ADryRun_Answers_WhenTheStoreHasMovedOnByWritesOutsideTheFunctionRecords()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Aliases(Tenant, "0-svc-fn") + "prod", "{}"u8.ToArray())], ServiceHarness.Token);

        var updated = await h.Service.AsDryRun().UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "dry" }, ServiceHarness.Token);

        Assert.Equal("dry", updated.Value!.Description);
    }

    [Fact]
    public async Task WithAHistoryLog_AnUpdate_WritesItsEntry_WithTheRevisionIdsBeforeAndAfter()
    {
        await using var h = new ServiceHarness(history: true);
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = created.RevisionId, Description = "second" }, ServiceHarness.Token);

        var entry = (await h.HistoryAsync("0-svc-fn"))[0];
        Assert.Equal((HistoryOperations.Update, "$latest", created.RevisionId, updated.Value!.RevisionId), (entry.Operation, entry.Version, entry.RevisionIdBefore, entry.RevisionIdAfter));
        Assert.Contains(entry.Changes, c => c.Path == "description");
        Assert.Equal((await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest")))!.ModRevision, entry.Revision);
    }
}