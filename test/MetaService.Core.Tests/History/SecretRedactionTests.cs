using System.Text.Json.Nodes;

using MetaService.Core.History;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests.History;

/// <summary>Which members are secrets, and that neither a change nor a masked record shows their values: every environment
/// value, the rootfs storage keys, the S3 token and anything below a user agency; an empty secret shows that none is set.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("environment.A")]
    [InlineData("environment.A.deeper")]
    [InlineData("rootfs.storageInfo.accessKey")]
    [InlineData("rootfs.storageInfo.secretKey")]
    [InlineData("s3CodePath.token")]
    [InlineData("extendedMetaData.user_agency")]
    [InlineData("extendedMetaData.USER_AGENCY.token")]
    [InlineData("userAgency")]
    [InlineData("x.UserAgency.y")]
    public void ThesePaths_AreSecret(string path)
    {
        Assert.True(RecordChanges.IsSecret(path.Split('.')));
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("rootfs.storageInfo")]
    [InlineData("rootfs.storageInfo.endpoint")]
    [InlineData("rootfs.accessKey")]
    [InlineData("s3CodePath")]
    [InlineData("s3CodePath.bucketId")]
    [InlineData("token")]
    [InlineData("aliases.environment.A")]
    [InlineData("user_agency_x")]
    public void ThesePaths_AreNot(string path)
    {
        Assert.False(RecordChanges.IsSecret(path.Split('.')));
    }

    [Fact]
    public void AMaskedRecord_HidesEverySecret_AndKeepsTheRest()
    {
        var record = HistoryTestKit.Record("fn") with
        {
            Environment = new() { ["A"] = "value-a", ["EMPTY"] = "" },
            S3CodePath = new S3CodePath { BucketId = "bucket", Token = "tok" },
            Rootfs = new Rootfs { Runtime = "runc", StorageInfo = new RootfsStorage { Endpoint = "e", AccessKey = "ak", SecretKey = "" } },
        };

        var masked = RecordChanges.Mask(record)!;

        Assert.Equal("******", (string)masked["environment"]!["A"]!);
        Assert.Equal("", (string)masked["environment"]!["EMPTY"]!);
        Assert.Equal("******", (string)masked["s3CodePath"]!["token"]!);
        Assert.Equal("bucket", (string)masked["s3CodePath"]!["bucketId"]!);
        Assert.Equal("******", (string)masked["rootfs"]!["storageInfo"]!["accessKey"]!);
        Assert.Equal("", (string)masked["rootfs"]!["storageInfo"]!["secretKey"]!);
        Assert.Equal("e", (string)masked["rootfs"]!["storageInfo"]!["endpoint"]!);
        Assert.Equal("runc", (string)masked["rootfs"]!["runtime"]!);
        Assert.Equal(300, (int)masked["cpu"]!);
        Assert.Null(RecordChanges.Mask(null));
        Assert.Equal("value-a", record.Environment["A"]);
    }

    [Fact]
    public void AnObjectAddedUnderASecret_ShowsOnlyThatItChanged()
    {
        var before = new JsonObject { ["name"] = "fn" };
        var after = new JsonObject { ["name"] = "fn", ["user_agency"] = new JsonObject { ["accessKey"] = "ak", ["token"] = "t" } };

        var change = Assert.Single(RecordChanges.Between(before, after, "x"));

        Assert.Equal(("x.user_agency", "add", null, "\"changed\""), (change.Path, change.Op, change.From?.ToJsonString(), change.To?.ToJsonString()));
    }

    [Fact]
    public void ADeletedRecord_ShowsItsObjects_WithTheirSecretsHidden()
    {
        var before = HistoryTestKit.Record("fn") with { Rootfs = new Rootfs { Runtime = "runc", StorageInfo = new RootfsStorage { AccessKey = "ak", Bucket = "b" } } };

        var changes = RecordChanges.Between(before, null);

        var rootfs = Assert.Single(changes, c => c.Path == "rootfs");
        Assert.Equal(RecordChanges.Remove, rootfs.Op);
        Assert.Equal("runc", (string)rootfs.From!["runtime"]!);
        Assert.Equal("changed", (string)rootfs.From!["storageInfo"]!["accessKey"]!);
        Assert.Equal("b", (string)rootfs.From!["storageInfo"]!["bucket"]!);
        Assert.Null(rootfs.To);
        Assert.Equal("""{"TOKEN":"changed"}""", Assert.Single(changes, c => c.Path == "environment").From!.ToJsonString());
    }

    [Fact]
    public void ASecretThatBecomesEmpty_ShowsThatNoneIsSetNow()
    {
        var before = HistoryTestKit.Record("fn") with { Rootfs = new Rootfs { StorageInfo = new RootfsStorage { SecretKey = "sk" } } };
        var after = before with { Rootfs = new Rootfs { StorageInfo = new RootfsStorage { SecretKey = "" } } };

        var change = Assert.Single(RecordChanges.Between(before, after));

        Assert.Equal(("rootfs.storageInfo.secretKey", "replace", "\"changed\"", "\"\""), (change.Path, change.Op, change.From!.ToJsonString(), change.To!.ToJsonString()));
    }

    [Fact]
    public void ASecretThatWasNull_ShowsNoValueBefore()
    {
        var before = new JsonObject { ["user_agency"] = null };
        var after = new JsonObject { ["user_agency"] = new JsonObject { ["token"] = "t" } };

        var change = Assert.Single(RecordChanges.Between(before, after, "x"));

        Assert.Equal(("x.user_agency", "replace", null, "\"changed\""), (change.Path, change.Op, change.From?.ToJsonString(), change.To?.ToJsonString()));
    }

    [Fact]
    public void ANullBecomingAnObject_IsOneReplace_OfTheWholeValue()
    {
        var before = new JsonObject { ["tags"] = null };
        var after = new JsonObject { ["tags"] = new JsonObject { ["a"] = "1" } };

        var change = Assert.Single(RecordChanges.Between(before, after, "r"));

        Assert.Equal(("r.tags", "replace", "null", """{"a":"1"}"""), (change.Path, change.Op, change.From?.ToJsonString() ?? "null", change.To!.ToJsonString()));
    }

    [Fact]
    public void AnObjectBecomingAValue_IsOneReplace_AndNestedChangesKeepTheirPath()
    {
        var before = new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = 1, ["d"] = 2 } }, ["e"] = new JsonObject { ["f"] = 1 } };
        var after = new JsonObject { ["a"] = new JsonObject { ["b"] = new JsonObject { ["c"] = 1, ["d"] = 3 } }, ["e"] = 5 };

        var changes = RecordChanges.Between(before, after, "r");

        Assert.Equal(
            [("r.a.b.d", "replace", "2", "3"), ("r.e", "replace", """{"f":1}""", "5")],
            changes.Select(c => (c.Path, c.Op, c.From!.ToJsonString(), c.To!.ToJsonString())));
    }

    [Fact]
    public void NullObjects_HaveNoChanges_AndAnObjectFromNothingAddsEveryMember()
    {
        Assert.Empty(RecordChanges.Between(null, null, "r"));
        Assert.Empty(RecordChanges.Between((FunctionRecord?)null, null));

        var changes = RecordChanges.Between(null, new JsonObject { ["a"] = 1, ["b"] = 2 }, "r");

        Assert.Equal([("r.a", "add"), ("r.b", "add")], changes.Select(c => (c.Path, c.Op)));
    }

    [Fact]
    public void AChangeAfterMembersInAnotherOrder_IsReportedOnce()
    {
        var before = new JsonObject { ["a"] = 1, ["b"] = 1, ["c"] = 1 };
        var after = new JsonObject { ["a"] = 2, ["c"] = 1, ["b"] = 1 };

        var change = Assert.Single(RecordChanges.Between(before, after, "r"));

        Assert.Equal(("r.a", "replace"), (change.Path, change.Op));
    }

    [Fact]
    public void AnObjectWithMoreMembersAfter_AddsThem()
    {
        var before = new JsonObject { ["a"] = 1 };
        var after = new JsonObject { ["a"] = 1, ["b"] = 2 };

        var change = Assert.Single(RecordChanges.Between(before, after, "r"));

        Assert.Equal(("r.b", "add", "2"), (change.Path, change.Op, change.To!.ToJsonString()));
    }
}