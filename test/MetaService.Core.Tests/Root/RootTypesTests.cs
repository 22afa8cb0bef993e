using System.Text.Json;

using MetaService.Core.Functions;

using Xunit;

namespace MetaService.Core.Tests.Root;

/// <summary>The small types every request goes through: the kinds and their drafts, the tenant as URNs spell it, the
/// default page, and how the core's JSON reads and writes its bodies.</summary>
public sealed class RootTypesTests
{
    [Theory]
    [InlineData("faas", "latest")]
    [InlineData("yrlib", "$latest")]
    [InlineData("agent", "$latest")]
    [InlineData(null, "$latest")]
    [InlineData("FAAS", "$latest")]
    public void EachKind_HasItsDraftVersion(string? kind, string draft)
    {
        Assert.Equal(draft, FunctionKinds.DraftVersion(kind));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("$latest", true)]
    [InlineData("Latest", false)]
    [InlineData("v1", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyTheTwoDraftNames_AreDraftVersions(string? version, bool draft)
    {
        Assert.Equal(draft, FunctionKinds.IsDraftVersion(version));
    }

    [Fact]
    public void TheKinds_AreSpelledAsTheOriginalSpellsThem()
    {
        Assert.Equal(("faas", "yrlib", "agent", "latest", "$latest"), (FunctionKinds.Faas, FunctionKinds.Yrlib, FunctionKinds.Agent, FunctionKinds.DraftFaas, FunctionKinds.DraftOther));
    }

    [Fact]
    public void ATenant_IsSpelledWithItsProduct_OnlyWhenItHasOne()
    {
        Assert.Equal("alice", new Tenant("alice").UrnTenant);
        Assert.Equal("alice@shop", new Tenant("alice", "shop").UrnTenant);
        Assert.Equal(new Tenant("default", ""), Tenant.Default);
        Assert.Equal("yrk", Tenant.Business);
    }

    [Fact]
    public void TheDefaultPage_IsTheFirstThousand()
    {
        Assert.Equal(new Paging(1, 1000), Paging.Default);
    }

    [Fact]
    public void TheCoresJson_ReadsMembersInAnyCase_AndWritesThemCamelCase()
    {
        var request = JsonSerializer.Deserialize("""{"NAME":"0-svc-fn","cpu":300,"Unknown":1}""", MetaJson.Default.FunctionRequest)!;

        Assert.Equal(("0-svc-fn", 300L), (request.Name, request.Cpu));
        Assert.Equal("""{"revisionId":"1","versionNumber":"v1","versionDesc":null,"kind":null}""", JsonSerializer.Serialize(new PublishRequest { RevisionId = "1", VersionNumber = "v1", IfChanged = true }, MetaJson.Default.PublishRequest));
    }

    [Fact]
    public void TheCoresJson_RefusesNumbersWrittenAsStrings()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"cpu":"300"}""", MetaJson.Default.FunctionRequest));
    }
}