using System.Text.Json.Nodes;

using MetaService.Core.History;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Patch (JSON Merge Patch of the draft): it changes only what it names, keeps the rest, clears what it sets to
/// null, and refuses (writing nothing) a stale revisionId, a failed If-Match, a removed required member, a renamed
/// function, a body that is no update.</summary>
public sealed class PatchTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task APatch_ChangesWhatItNames_AndKeepsEveryOtherMember()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Rich());
        var before = await h.RecordAsync("0-svc-rich", "$latest");
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-rich", new JsonObject { ["handler"] = "h.other" }, null, ServiceHarness.Token);

        Assert.Equal("h.other", patched.Value!.Handler);
        var after = await h.RecordAsync("0-svc-rich", "$latest");
        Assert.NotEqual(created.RevisionId, after!.RevisionId);
        Assert.Equal(
            ServiceHarness.Json(before! with { Handler = "h.other", RevisionId = after.RevisionId, UpdateTime = after.UpdateTime, Layers = null }),
            ServiceHarness.Json(after));
    }

    [Fact]
    public async Task AnEmptyPatch_LeavesEveryMemberAsItWas()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Rich());
        var before = await h.RecordAsync("0-svc-rich", "$latest");

        await h.Service.PatchAsync(Tenant, "0-svc-rich", new JsonObject(), null, ServiceHarness.Token);

        var after = await h.RecordAsync("0-svc-rich", "$latest");
        Assert.Equal(ServiceHarness.Json(before! with { RevisionId = after!.RevisionId, UpdateTime = after.UpdateTime, Layers = null }), ServiceHarness.Json(after));
    }

    [Fact]
    public async Task NullMembers_TakeTheirDefaults_AndNullDescriptionClearsIt()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Rich());

        var patch = new JsonObject { ["description"] = null, ["environment"] = null, ["extendedHandler"] = null, ["hookHandler"] = null, ["poolId"] = null, ["enableMetrics"] = null, ["maxInstance"] = null };
        var patched = await h.Service.PatchAsync(Tenant, "0-svc-rich", patch, null, ServiceHarness.Token);

        Assert.Null(patched.Error);
        var after = await h.RecordAsync("0-svc-rich", "$latest");
        Assert.Equal(("", "", false, 100), (after!.Description, after.PoolId, after.EnableMetrics, after.MaxInstance));
        Assert.Empty(after.Environment);
        Assert.Empty(after.ExtendedHandler!);
        Assert.Equal("yrlib_handler.init", after.HookHandler!["init"]);
        Assert.Equal(2, after.CustomResources!["npu"]);
    }

    [Fact]
    public async Task NullMembers_AreReadInAnyCase()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Rich());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-rich", new JsonObject { ["DESCRIPTION"] = null, ["Environment"] = null, ["ExtendedTimeout"] = null }, null, ServiceHarness.Token);

        Assert.Null(patched.Error);
        var after = await h.RecordAsync("0-svc-rich", "$latest");
        Assert.Equal("", after!.Description);
        Assert.Empty(after.Environment);
        Assert.Empty(after.ExtendedTimeout!);
        Assert.Equal(2, after.CustomResources!["npu"]);
    }

    [Fact]
    public async Task ADescriptionSetToNull_UnderTwoSpellings_IsStillCleared()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Rich());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-rich", new JsonObject { ["description"] = null, ["Description"] = null }, null, ServiceHarness.Token);

        Assert.Null(patched.Error);
        Assert.Equal("", (await h.RecordAsync("0-svc-rich", "$latest"))!.Description);
    }

    [Fact]
    public async Task NullCustomResources_TakeTheirDefault_AnEmptyMap()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Rich());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-rich", new JsonObject { ["customResources"] = null }, null, ServiceHarness.Token);

        Assert.Null(patched.Error);
        Assert.Empty((await h.RecordAsync("0-svc-rich", "$latest"))!.CustomResources!);
    }

    [Theory]
    [InlineData("handler")]
    [InlineData("Runtime")]
    [InlineData("kind")]
    [InlineData("cpu")]
    [InlineData("memory")]
    [InlineData("timeout")]
    [InlineData("name")]
    public async Task ARequiredMemberSetToNull_IsRefused_AndWritesNothing(string member)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { [member] = null }, null, ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidParam($"{member} cannot be removed: set a value instead of null"), patched.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Theory]
    [InlineData("\"0-svc-other\"")]
    [InlineData("1")]
    public async Task ANameOtherThanTheFunctions_IsRefused(string name)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["name"] = JsonNode.Parse(name) }, null, ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidParam("name cannot be changed by a patch"), patched.Error);
    }

    [Fact]
    public async Task TheFunctionsOwnName_IsAccepted()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["name"] = "0-svc-fn", ["description"] = "same" }, null, ServiceHarness.Token);

        Assert.Equal("same", patched.Value!.Description);
    }

    [Fact]
    public async Task AStaleRevisionIdInThePatch_IsRefusedWith4134_AndTheCurrentOneIsAccepted()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var stale = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["revisionId"] = "20200101000000", ["description"] = "x" }, null, ServiceHarness.Token);
        Assert.Equal(MetaError.RevisionMismatchOnUpdate(), stale.Error);
        Assert.Equal(before, await h.RevisionAsync());

        var current = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["revisionId"] = created.RevisionId, ["description"] = "x" }, null, ServiceHarness.Token);
        Assert.Equal("x", current.Value!.Description);
    }

    [Fact]
    public async Task IfMatch_NamingAnotherRevisionId_IsRefused_AndNamingTheCurrentOneIsAccepted()
    {
        await using var h = new ServiceHarness();
        var created = await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var failed = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["description"] = "x" }, ["1", "2"], ServiceHarness.Token);
        Assert.Equal(MetaError.IfMatchFailed(), failed.Error);
        Assert.Equal(before, await h.RevisionAsync());

        var matched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["description"] = "x" }, ["1", created.RevisionId], ServiceHarness.Token);
        Assert.Equal("x", matched.Value!.Description);
    }

    [Fact]
    public async Task AKindInThePatch_FindsTheDraftOfThatKind()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Faas("0@svc@fn"));

        var patched = await h.Service.PatchAsync(Tenant, "0@svc@fn", new JsonObject { ["kind"] = "faas", ["description"] = "faas one" }, null, ServiceHarness.Token);

        Assert.Equal(("faas one", "latest"), (patched.Value!.Description, patched.Value.VersionNumber));
    }

    [Fact]
    public async Task APatchThatIsNoUpdateBody_IsRefusedWith130600()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["cpu"] = "many" }, null, ServiceHarness.Token);

        Assert.Equal(130600, patched.Error!.Code);
        Assert.StartsWith("the patched function is not a valid update body: ", patched.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APatchBreakingARule_IsRefusedWith4104()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());

        var patched = await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["cpu"] = 1 }, null, ServiceHarness.Token);

        Assert.Equal(4104, patched.Error!.Code);
        Assert.Contains("CPU not in range", patched.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAHistoryLog_APatch_IsRecordedAsAPatch()
    {
        await using var h = new ServiceHarness(history: true);
        await h.CreateAsync(ServiceHarness.Yrlib());

        await h.Service.PatchAsync(Tenant, "0-svc-fn", new JsonObject { ["description"] = "x" }, null, ServiceHarness.Token);

        Assert.Equal(HistoryOperations.Patch, (await h.HistoryAsync("0-svc-fn"))[0].Operation);
    }
}