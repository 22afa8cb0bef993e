using MetaService.Core.Functions;
using MetaService.Core.History;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>Publish: the version it stores beside the draft, the draft that remembers it, the number it takes by default,
/// and every refusal (no draft, a stale revisionId, a taken or malformed number, the version limit, a package without a
/// bucket) leaving the store as it was.</summary>
public sealed class PublishTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;

    [Fact]
    public async Task APublish_StoresTheVersion_ItsStatusAndPlatformKey_AndTheDraftRemembersIt()
    {
        await using var h = new ServiceHarness(history: true);
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        h.Clock.Advance(TimeSpan.FromSeconds(2));

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1", VersionDesc = "first" }, ServiceHarness.Token);

        Assert.Equal(("v1", "first", "2024-05-09 02:25:51.477 UTC", draft.RevisionId), (published.Value!.VersionNumber, published.Value.VersionDesc, published.Value.Published, published.Value.RevisionId));
        var version = await h.RecordAsync("0-svc-fn", "v1");
        Assert.Equal(("v1", "first", "v1", "2024-05-09 02:25:51.477 UTC"), (version!.Version, version.VersionDesc, version.LastPublishedVersion, version.PublishTime));
        var stored = await h.RecordAsync("0-svc-fn", "$latest");
        Assert.Equal(("v1", "$latest", draft.RevisionId), (stored!.LastPublishedVersion, stored.Version, stored.RevisionId));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Status(Tenant, "0-svc-fn", "v1")));
        Assert.NotNull(await h.GetAsync(PlatformKeys.Published(FunctionKinds.Yrlib, Tenant, "0-svc-fn", "v1")));
        Assert.Equal(ServiceHarness.Json(published.Value), ServiceHarness.Json((await h.Service.GetAsync(Tenant, "0-svc-fn", "v1", null, ServiceHarness.Token)).Value));
        var entry = (await h.HistoryAsync("0-svc-fn"))[0];
        Assert.Equal((HistoryOperations.Publish, "v1", draft.RevisionId, draft.RevisionId), (entry.Operation, entry.Version, entry.RevisionIdBefore, entry.RevisionIdAfter));
    }

    [Fact]
    public async Task WithoutANumber_TheVersionIsNamedByTheClock_AndWithoutADescription_ItsIsEmpty()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId }, ServiceHarness.Token);

        Assert.Equal(("v20240509-022549", ""), (published.Value!.VersionNumber, published.Value.VersionDesc));
    }

    [Fact]
    public async Task AFunctionWithoutADraft_IsRefusedWith4115()
    {
        await using var h = new ServiceHarness();

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = "1" }, ServiceHarness.Token);

        Assert.Equal(new MetaError(4115, "failed to get function version", ErrorKind.NotFound), published.Error);
    }

    [Fact]
    public async Task AKindInTheRequest_PublishesOnlyADraftOfThatKind()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());

        var other = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, Kind = FunctionKinds.Faas, VersionNumber = "v1" }, ServiceHarness.Token);
        var same = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, Kind = FunctionKinds.Yrlib, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(4115, other.Error!.Code);
        Assert.Equal("v1", same.Value!.VersionNumber);
    }

    [Fact]
    public async Task AStaleRevisionId_IsRefusedWith4134_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = "20200101000000", VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(MetaError.RevisionMismatchOnPublish(), published.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task IfChanged_AnswersTheVersionThatPublishedThisRevision_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var first = await h.PublishAsync("0-svc-fn", "v1");
        var before = await h.RevisionAsync();

        var again = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v2", IfChanged = true }, ServiceHarness.Token);

        Assert.Equal(ServiceHarness.Json(first), ServiceHarness.Json(again.Value));
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task WithoutIfChanged_AnUnchangedDraft_IsPublishedAgain()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");

        var again = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v2" }, ServiceHarness.Token);

        Assert.Equal("v2", again.Value!.VersionNumber);
    }

    [Fact]
    public async Task IfChanged_OfAChangedDraft_PublishesIt()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        var updated = await h.Service.UpdateAsync(Tenant, "0-svc-fn", new FunctionRequest { RevisionId = draft.RevisionId, Description = "new" }, ServiceHarness.Token);

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = updated.Value!.RevisionId, VersionNumber = "v2", IfChanged = true }, ServiceHarness.Token);

        Assert.Equal(("v2", "new"), (published.Value!.VersionNumber, published.Value.Description));
    }

    [Theory]
    [InlineData(FunctionKinds.Yrlib, "v1", 4114)]
    [InlineData(FunctionKinds.Faas, "latest", 4114)]
    [InlineData(FunctionKinds.Yrlib, "latest", 4104)]
    [InlineData(FunctionKinds.Yrlib, "$latest", 4104)]
    [InlineData(FunctionKinds.Yrlib, "-v2", 4104)]
    [InlineData(FunctionKinds.Yrlib, "v2.", 4104)]
    public async Task ATakenOrMalformedNumber_IsRefused_AndWritesNothing(string kind, string number, int code)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(ServiceHarness.Yrlib("0-svc-fn") with { Kind = kind });
        var draft = await h.PublishAsync("0-svc-fn", "v1");
        var before = await h.RevisionAsync();

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = number }, ServiceHarness.Token);

        Assert.Equal(code, published.Error!.Code);
        Assert.Equal(code == 4114 ? MetaError.DuplicateVersion() : MetaError.InvalidParam(FunctionNames.VersionFormatMessage), published.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task TheVersionLimit_AllowsVersionMaxVersions_AndRefusesOneMore()
    {
        await using var h = new ServiceHarness(new MetaOptions { VersionMax = 2 });
        await h.CreateAsync(ServiceHarness.Yrlib());
        await h.PublishAsync("0-svc-fn", "v1");
        var second = await h.PublishAsync("0-svc-fn", "v2");
        var before = await h.RevisionAsync();

        var third = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = second.RevisionId, VersionNumber = "v3" }, ServiceHarness.Token);

        Assert.Equal(MetaError.VersionLimit(3), third.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Theory]
    [InlineData("", "", false)]
    [InlineData("b", "", true)]
    [InlineData("", "o", true)]
    public async Task AnS3DraftWithoutABucketOrObject_IsRefused(string bucket, string objectId, bool publishes)
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib() with { StorageType = "s3", S3CodePath = new() { BucketId = bucket, ObjectId = objectId } });

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(publishes ? null : MetaError.InvalidParam("empty function version's bucket info"), published.Error);
    }

    [Fact]
    public async Task AVersionTooLargeToStore_IsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness(new MetaOptions { RecordBytesMax = 4096 });
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1", VersionDesc = new string('d', 5000) }, ServiceHarness.Token);

        Assert.Equal(ErrorKind.TooLarge, published.Error!.Kind);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task ARider_CommitsWithThePublish()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var rider = new TxnRider<FunctionView>([Compare.Absent("/test/idem")], v => [new WriteOp.Put("/test/idem", System.Text.Encoding.UTF8.GetBytes(v.VersionNumber))]);

        await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1" }, rider, ServiceHarness.Token);

        Assert.Equal("v1"u8.ToArray(), (await h.GetAsync("/test/idem"))!.Value);
        Assert.Equal((await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "v1")))!.ModRevision, (await h.GetAsync("/test/idem"))!.ModRevision);
    }

    [Fact]
    public async Task ARiderWhoseKeyWasTaken_IsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        await h.Store.TxnAsync([], [new WriteOp.Put("/test/idem", "other"u8.ToArray())], ServiceHarness.Token);
        var before = await h.RevisionAsync();
        var rider = new TxnRider<FunctionView>([Compare.Absent("/test/idem")], _ => [new WriteOp.Put("/test/idem", "x"u8.ToArray())]);

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1" }, rider, ServiceHarness.Token);

        Assert.Equal(4134, published.Error!.Code);
        Assert.Equal(before, await h.RevisionAsync());
    }

    [Fact]
    public async Task APublishOfAPathThatIsNoFunctionName_IsRefused_AndWritesNothing()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(ServiceHarness.Yrlib());
        var before = await h.RevisionAsync();

        var published = await h.Service.PublishAsync(Tenant, "0-svc-fn!", new PublishRequest { RevisionId = draft.RevisionId, VersionNumber = "v1" }, ServiceHarness.Token);

        Assert.Equal(MetaError.InvalidParam("invalid URN: 0-svc-fn!"), published.Error);
        Assert.Equal(before, await h.RevisionAsync());
    }
}