using System.Net;

namespace MetaService.Server.Tests;

/// <summary>The name rules of §2.6: the three name forms, and what is refused.</summary>
public sealed class NameRuleTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Theory]
    [InlineData("0@svc@fn-")]
    [InlineData("0-svc-fn")]
    [InlineData("fn")]
    [InlineData("a.b.")]
    [InlineData("0-Svc1-Fn.x")]
    public async Task Create_WithValidNameForms_Succeeds(string prefix)
    {
        using var api = factory.CreateApi();
        var name = prefix + Names.Hex();

        var fn = await api.CreateOkAsync(Bodies.Yrlib(name));

        Assert.Equal(name, (string?)fn["name"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0@svc@")]
    [InlineData("0@svc@-fn")]
    [InlineData("0@abcdefghijklmnopq@fn")]
    [InlineData("-fn")]
    [InlineData("fn-")]
    [InlineData("fn_x")]
    [InlineData("a b")]
    [InlineData("0@svc@fn/x")]
    [InlineData("0@svc@fñ")]
    public async Task Create_WithInvalidName_Returns400And4104(string name)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Faas(name)));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }

    [Fact]
    public async Task Create_WithNameOf129Characters_Returns400And4104()
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Yrlib(new string('a', 129))));

        await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104);
    }
}