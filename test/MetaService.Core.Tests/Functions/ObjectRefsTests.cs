using System.Text;

using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>The original's reference counts of repository-managed code packages: every stored version that names one
/// counts once, each write moves the counts in its own transaction, and a package no version names has no count.</summary>
public sealed class ObjectRefsTests
{
    private static readonly Tenant Tenant = ServiceHarness.Tenant;
    private static readonly string PackageA = PlatformKeys.ObjectRef(Tenant, "bucket", "a.zip");
    private static readonly string PackageB = PlatformKeys.ObjectRef(Tenant, "bucket", "b.zip");

    private static FunctionRequest Managed(string objectId, string uploadType = "s3") =>
        ServiceHarness.Yrlib() with { CodeUploadType = uploadType, S3CodePath = new S3CodePath { BucketId = "bucket", ObjectId = objectId } };

    private static async Task<string?> CountAsync(ServiceHarness h, string key) =>
        await h.GetAsync(key) is { } kv ? Encoding.UTF8.GetString(kv.Value) : null;

    [Fact]
    public async Task CreatePublishUpdateAndDelete_MoveTheCounts()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(Managed("a.zip"));
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));
        Assert.Equal((await h.GetAsync(PlatformKeys.Record(Tenant, "0-svc-fn", "$latest")))!.ModRevision, (await h.GetAsync(PackageA))!.ModRevision);

        await h.PublishAsync("0-svc-fn", "v1");
        Assert.Equal("""{"RefCnt":2}""", await CountAsync(h, PackageA));

        await h.Service.UpdateAsync(Tenant, "0-svc-fn", Managed("b.zip") with { RevisionId = draft.RevisionId }, ServiceHarness.Token);
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageB));

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", "v1", null, ServiceHarness.Token);
        Assert.Null(await CountAsync(h, PackageA));
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageB));

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);
        Assert.Null(await CountAsync(h, PackageB));
    }

    [Fact]
    public async Task DeletingAFunction_RemovesEveryCountOfItsVersions()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Managed("a.zip"));
        await h.PublishAsync("0-svc-fn", "v1");
        await h.PublishAsync("0-svc-fn", "v2");
        await h.Store.TxnAsync([], [new WriteOp.Put(PackageB, """{"RefCnt":3}"""u8.ToArray())], ServiceHarness.Token);

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Null(await CountAsync(h, PackageA));
        Assert.Equal("""{"RefCnt":3}""", await CountAsync(h, PackageB));
    }

    [Fact]
    public async Task AnUpdateKeepingThePackage_LeavesItsCount()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(Managed("a.zip"));
        var counted = (await h.GetAsync(PackageA))!.ModRevision;

        await h.Service.UpdateAsync(Tenant, "0-svc-fn", Managed("a.zip") with { RevisionId = draft.RevisionId, Description = "x" }, ServiceHarness.Token);

        Assert.Equal(counted, (await h.GetAsync(PackageA))!.ModRevision);
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));
    }

    [Theory]
    [InlineData("zip", "bucket", "a.zip")]
    [InlineData("s3", "", "a.zip")]
    [InlineData("s3", "bucket", "")]
    public async Task APackageTheRepositoryDoesNotManage_IsNotCounted(string uploadType, string bucket, string objectId)
    {
        await using var h = new ServiceHarness();

        await h.CreateAsync(ServiceHarness.Yrlib() with { CodeUploadType = uploadType, S3CodePath = new S3CodePath { BucketId = bucket, ObjectId = objectId } });

        Assert.Empty(await h.KeysAsync("/repo/ObjectRefIndex/"));
    }

    [Fact]
    public async Task ACountThatCannotBeRead_CountsAsNone_AndIsRewritten()
    {
        await using var h = new ServiceHarness();
        await h.Store.TxnAsync([], [new WriteOp.Put(PackageA, "garbage"u8.ToArray())], ServiceHarness.Token);

        await h.CreateAsync(Managed("a.zip"));

        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));
    }

    [Fact]
    public async Task ACountKeptByTheOriginal_IsAddedTo()
    {
        await using var h = new ServiceHarness();
        await h.Store.TxnAsync([], [new WriteOp.Put(PackageA, """{"RefCnt":5}"""u8.ToArray())], ServiceHarness.Token);

        await h.CreateAsync(Managed("a.zip"));

        Assert.Equal("""{"RefCnt":6}""", await CountAsync(h, PackageA));
    }

    [Theory]
    [InlineData(FunctionKinds.Yrlib, FunctionKinds.Yrlib)]
    [InlineData(FunctionKinds.Yrlib, FunctionKinds.Faas)]
    [InlineData(FunctionKinds.Faas, FunctionKinds.Yrlib)]
    public async Task ACreateOfATakenName_ThatCountsAPackage_IsRefusedWith4101_AndLeavesTheCount(string first, string second)
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Managed("a.zip") with { Kind = first });
        var before = await h.RevisionAsync();

        var created = await h.Service.CreateAsync(Tenant, Managed("a.zip") with { Kind = second }, ServiceHarness.Token);

        Assert.Equal(MetaError.NameExists(), created.Error);
        Assert.Equal(before, await h.RevisionAsync());
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));
    }

    [Fact]
    public async Task RemovingAPackageWithoutACount_WritesNoCount()
    {
        await using var h = new ServiceHarness();
        await h.CreateAsync(Managed("a.zip"));
        await h.Store.TxnAsync([], [new WriteOp.Delete(PackageA)], ServiceHarness.Token);

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Null(await h.GetAsync(PackageA));
    }

    [Fact]
    public async Task DeletingAFunction_WhoseDraftNoLongerNamesThePackage_RemovesTheCountOfItsVersion()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(Managed("a.zip"));
        await h.PublishAsync("0-svc-fn", "v1");
        await h.Service.UpdateAsync(Tenant, "0-svc-fn", ServiceHarness.Yrlib() with { RevisionId = draft.RevisionId }, ServiceHarness.Token);
        Assert.Equal("""{"RefCnt":1}""", await CountAsync(h, PackageA));

        await h.Service.DeleteAsync(Tenant, "0-svc-fn", null, null, ServiceHarness.Token);

        Assert.Null(await CountAsync(h, PackageA));
    }

    [Fact]
    public async Task AnUpdateThatStopsUploadingToTheRepository_RemovesTheCount_ThoughItKeepsTheBucketAndObject()
    {
        await using var h = new ServiceHarness();
        var draft = await h.CreateAsync(Managed("a.zip"));

        await h.Service.UpdateAsync(Tenant, "0-svc-fn", Managed("a.zip", uploadType: "") with { RevisionId = draft.RevisionId }, ServiceHarness.Token);

        var stored = (await h.RecordAsync("0-svc-fn", "$latest"))!.S3CodePath;
        Assert.Equal(("bucket", "a.zip"), (stored.BucketId, stored.ObjectId));
        Assert.Null(await CountAsync(h, PackageA));
    }
}