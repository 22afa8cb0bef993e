using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests.Functions;

/// <summary>What a path's <c>{name}</c> may be (a name or a function URN of the caller's tenant), which versions a query
/// may name, and how a faas name splits.</summary>
public sealed class PathNameTests
{
    private static readonly Tenant Shop = new("alice", "shop");

    [Theory]
    [InlineData("0-svc-fn", "0-svc-fn", null)]
    [InlineData("0@svc@fn", "0@svc@fn", null)]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn", "0-svc-fn", null)]
    [InlineData("x:y:yrk:alice@shop:function:0-svc-fn:v1", "0-svc-fn", "v1")]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn:$latest", "0-svc-fn", "$latest")]
    [InlineData("sn:cn:yrk:alice@shop:function:0-svc-fn:1234567890123456", "0-svc-fn", "1234567890123456")]
    public void AName_OrAUrnOfTheTenant_IsRead(string value, string name, string? version)
    {
        Assert.True(FunctionNames.TryParsePathName(value, Shop, out var reference, out var error));
        Assert.Null(error);
        Assert.Equal(new FunctionRef(name, version), reference);
    }

    [Theory]
    [InlineData(null, 121046, "empty functionid")]
    [InlineData("", 121046, "empty functionid")]
    [InlineData("a:b:c:d:e", 4104, "invalid URN: a:b:c:d:e. check input parameters")]
    [InlineData("a:b:yrk:alice@shop:function:fn:v1:x", 4104, "invalid URN: a:b:yrk:alice@shop:function:fn:v1:x. check input parameters")]
    [InlineData("sn:cn:xyz:alice@shop:function:fn", 121046, "invalid URN: sn:cn:xyz:alice@shop:function:fn")]
    [InlineData("sn:cn:yrk:alice:function:fn", 121046, "invalid URN: sn:cn:yrk:alice:function:fn")]
    [InlineData("sn:cn:yrk:alice@shop:layer:fn", 121046, "invalid URN: sn:cn:yrk:alice@shop:layer:fn")]
    [InlineData("sn:cn:yrk:alice@shop:function:-fn", 121046, "invalid URN: sn:cn:yrk:alice@shop:function:-fn")]
    [InlineData("sn:cn:yrk:alice@shop:function:fn:-v1", 121046, "invalid version: -v1")]
    [InlineData("sn:cn:yrk:alice@shop:function:fn:", 121046, "invalid version: ")]
    public void AnythingElse_IsRefused_WithWhatIsWrong(string? value, int code, string message)
    {
        Assert.False(FunctionNames.TryParsePathName(value!, Shop, out var reference, out var error));
        Assert.Null(reference);
        Assert.Equal((code, message), (error!.Code, error.Message));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("$latest", true)]
    [InlineData("$$latest", false)]
    [InlineData("latest1", true)]
    [InlineData("1234567890123456", true)]
    [InlineData("a", true)]
    [InlineData("a_b", true)]
    [InlineData("a.", false)]
    [InlineData("_a", false)]
    [InlineData("a23456789012345678901234567890123456789012", true)]
    [InlineData("a234567890123456789012345678901234567890123", false)]
    [InlineData("v1\n", false)]
    [InlineData("", false)]
    public void AQueryVersion_IsADraftNameOrAVersionNumber(string version, bool valid)
    {
        Assert.Equal(valid, FunctionNames.IsValidQueryVersion(version));
    }

    [Theory]
    [InlineData("0@svc@fn", "svc", "fn")]
    [InlineData("0@svc", "", "")]
    [InlineData("0@a@b@c", "", "")]
    [InlineData("0-svc-fn", "", "")]
    public void AFaasName_SplitsIntoServiceAndFunction_OnlyWithThreeParts(string name, string service, string func)
    {
        Assert.Equal((service, func), FunctionNames.SplitFaasName(name));
    }

    [Theory]
    [InlineData("0-abcdefghijklmnop-fn", true)]
    [InlineData("0-abcdefghijklmnopq-fn", true)]
    [InlineData("0@abcdefghijklmnop@fn", true)]
    [InlineData("0@abcdefghijklmnopq@fn", false)]
    [InlineData("0@svc@f", true)]
    [InlineData("0@svc@f-", false)]
    [InlineData("0@svc@", false)]
    [InlineData("0@@fn", false)]
    public void ANewName_FollowsTheOriginalsForms(string name, bool valid)
    {
        Assert.Equal(valid, FunctionNames.IsValidNewName(name));
    }
}