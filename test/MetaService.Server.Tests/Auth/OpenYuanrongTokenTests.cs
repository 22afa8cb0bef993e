using System.Net;

namespace MetaService.Server.Tests.Auth;

/// <summary>Mode openyuanrong: tokens made here from the spec's format with the demo key are accepted as editors of their
/// <c>sub</c>; a changed byte, an expired token, a role other than developer and a token of another key are refused.</summary>
public sealed class OpenYuanrongTokenTests : IAsyncLifetime
{
    /// <summary>The sample of ../shared/spec/openyuanrong-auth.md §9: the demo key, <c>{"exp":4102444800,"role":"developer","sub":"default"}</c>.</summary>
    private const string SpecSample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjQxMDI0NDQ4MDAsInJvbGUiOiJkZXZlbG9wZXIiLCJzdWIiOiJkZWZhdWx0In0."
        + "MmJjZmRjZjY0ODllOTIyNThhZDA4ZDA5YzYwZTRiNWFhYmMzZTY4MTM0NDkxZDgzZjZjMWRkYTc2YmVhYThhZQ";

    private readonly MetaServiceFactory _factory = AuthSetup.Factory();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public void TheTestsSigner_MakesTheSpecsSample()
    {
        var made = AuthSetup.Developer("default");

        Assert.Equal(SpecSample, made);
    }

    [Fact]
    public async Task SpecSample_IsAccepted()
    {
        using var client = AuthSetup.XAuth(_factory, SpecSample);

        using var response = await client.GetAsync(Api.AdminRoot, TestContext.Current.CancellationToken);

        await Wire.OkAsync(response);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(150)]
    public async Task OneChangedByte_IsRefused(int at)
    {
        var changed = SpecSample[..at] + (SpecSample[at] == 'A' ? 'B' : 'A') + SpecSample[(at + 1)..];
        using var client = AuthSetup.XAuth(_factory, changed);

        using var response = await _factory.Store.NothingWrittenAsync(() => client.PostAsync(Api.AdminRoot, Json(Bodies.Faas(Names.Faas()).ToJsonString()), TestContext.Current.CancellationToken));

        await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, 190401);
    }

    [Fact]
    public async Task Expired_IsRefused_AndMinusOne_NeverExpires()
    {
        using var expired = AuthSetup.XAuth(_factory, AuthSetup.Developer("default", exp: 1_700_000_000));
        using var never = AuthSetup.XAuth(_factory, AuthSetup.Developer("default", exp: -1));
        using var invalid = AuthSetup.XAuth(_factory, AuthSetup.Developer("default", exp: -2));

        using var refused = await expired.GetAsync(Api.AdminRoot, TestContext.Current.CancellationToken);
        using var accepted = await never.GetAsync(Api.AdminRoot, TestContext.Current.CancellationToken);
        using var negative = await invalid.GetAsync(Api.AdminRoot, TestContext.Current.CancellationToken);

        Assert.Contains("expired", await Wire.AssertErrorAsync(refused, HttpStatusCode.Unauthorized, 190401), StringComparison.Ordinal);
        await Wire.OkAsync(accepted);
        await Wire.AssertErrorAsync(negative, HttpStatusCode.Unauthorized, 190401);
    }

    [Fact]
    public async Task ASignedTokenWhoseExpIsAString_Is401_NotAServerError()
    {
        using var client = AuthSetup.XAuth(_factory, AuthSetup.OpenYuanrongToken("""{"exp":"-1","role":"developer","sub":"default"}"""));

        using var response = await client.GetAsync(Api.AdminRoot, TestContext.Current.CancellationToken);

        Assert.Equal("the X-Auth token's payload is not JSON with a string sub and a numeric exp", await Wire.AssertErrorAsync(response, HttpStatusCode.Unauthorized, 190401));
    }

    [Theory]
    [InlineData("user")]
    [InlineData("admin")]
    [InlineData("")]
    public async Task RoleOtherThanDeveloper_IsRefused(string role)
    {
        using var client = AuthSetup.XAuth(_factory, AuthSetup.Developer("default", role: role));

        using var response = await _factory.Store.NothingWrittenAsync(() => client.PostAsync(Api.AdminRoot, Json(Bodies.Faas(Names.Faas()).ToJsonString()), TestContext.Current.CancellationToken));

        Assert.Contains("developer", await Wire.AssertErrorAsync(response, HttpStatusCode.Forbidden, 190403), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTenantIsSub_WhenNoTenantHeaderIsSent()
    {
        using var adx = AuthSetup.XAuth(_factory, AuthSetup.Developer("t1"));
        var name = Names.Faas();

        using var created = await adx.PostAsync(Api.ServerlessRoot, Json(Bodies.Faas(name).ToJsonString()), TestContext.Current.CancellationToken);

        Assert.Equal($"sn:cn:yrk:t1:function:{name}", (string?)(await Wire.OkAsync(created))["function"]!["functionUrn"]);
        var records = await _factory.Store.RangeAsync("/repo/FunctionVersion/", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(records.Items, k => k.Key.Contains("/t1/", StringComparison.Ordinal) && k.Key.Contains(name, StringComparison.Ordinal));
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}