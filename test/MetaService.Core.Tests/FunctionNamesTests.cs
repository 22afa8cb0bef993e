using MetaService.Core.Functions;
using MetaService.Core.Records;

using Xunit;

namespace MetaService.Core.Tests;

public sealed class FunctionNamesTests
{
    private static readonly MetaOptions Options = new();

    [Theory]
    [InlineData("0@faaspy@hello")]
    [InlineData("0@myService@python-demo")]
    [InlineData("0-f-a")]
    [InlineData("0-svc-Fn.v2")]
    [InlineData("plain.name")]
    [InlineData("a")]
    public void IsValidNewName_AcceptsTheOriginalsForms(string name)
    {
        Assert.True(FunctionNames.IsValidNewName(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0@svc@-bad")]
    [InlineData("0@toolongservicename17@fn")]
    [InlineData("has/slash")]
    [InlineData("ünïcode")]
    [InlineData("trailing\n")]
    [InlineData("with space")]
    public void IsValidNewName_RejectsOthers(string name)
    {
        Assert.False(FunctionNames.IsValidNewName(name));
    }

    [Theory]
    [InlineData("B.2233", true)]
    [InlineData("v20240508-154704", true)]
    [InlineData("1", true)]
    [InlineData("-v1", false)]
    [InlineData("v1.", false)]
    [InlineData("a234567890123456789012345678901234567890123", false)]
    public void IsValidVersionNumber_FollowsTheRegex(string version, bool valid)
    {
        Assert.Equal(valid, FunctionNames.IsValidVersionNumber(version));
    }

    [Fact]
    public void DraftVersion_IsLatestForFaasAndDollarLatestOtherwise()
    {
        Assert.Equal("latest", FunctionKinds.DraftVersion("faas"));
        Assert.Equal("$latest", FunctionKinds.DraftVersion("yrlib"));
        Assert.Equal("$latest", FunctionKinds.DraftVersion("agent"));
        Assert.Equal("$latest", FunctionKinds.DraftVersion(""));
    }

    [Fact]
    public void VersionUrn_CarriesTenantAndProduct()
    {
        var urn = Urns.Version(Options, new Tenant("t1", "p1"), "0-f-a", "B.2233");

        Assert.Equal("sn:cn:yrk:t1@p1:function:0-f-a:B.2233", urn);
    }

    [Fact]
    public void TryParsePathName_ReadsAVersionUrnOfTheSameTenant()
    {
        var parsed = FunctionNames.TryParsePathName("sn:cn:yrk:default:function:0@faaspy@hello:latest", Tenant.Default, out var reference, out _);

        Assert.True(parsed);
        Assert.Equal(new FunctionRef("0@faaspy@hello", "latest"), reference);
    }

    [Theory]
    [InlineData("sn:cn:yrk:other:function:0@faaspy@hello:latest", 121046)]
    [InlineData("0@faaspy@hello:latest", 4104)]
    [InlineData("", 121046)]
    public void TryParsePathName_RefusesOtherTenantsAndMalformedUrns(string value, int code)
    {
        var parsed = FunctionNames.TryParsePathName(value, Tenant.Default, out _, out var error);

        Assert.False(parsed);
        Assert.Equal(code, error!.Code);
    }
}