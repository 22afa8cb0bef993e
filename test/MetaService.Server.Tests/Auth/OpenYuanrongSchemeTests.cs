using MetaService.Server.Auth;
using MetaService.Tests.Fixtures;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Auth;

/// <summary>
/// Mode <c>openyuanrong</c>'s scheme, driven in the test's process on a clock the test sets: the caller a token names,
/// its lifetime to the second, and each refusal's whole message (tokens made by <see cref="AuthSetup.OpenYuanrongToken"/>
/// from the spec's format, not by the server's code).
/// </summary>
public sealed class OpenYuanrongSchemeTests
{
    private const long Now = 1_800_000_000;

    private readonly OpenYuanrongScheme _scheme = new(
        Options.Create(new AuthOptions { OpenYuanrong = new OpenYuanrongOptions { DataKey = AuthSetup.DemoKeyHex } }),
        new SetClock(DateTimeOffset.FromUnixTimeSeconds(Now)));

    private async Task<Credential> AuthenticateAsync(string? token)
    {
        var context = new DefaultHttpContext();
        if (token is not null)
        {
            context.Request.Headers[OpenYuanrongScheme.Header] = token;
        }

        return await _scheme.AuthenticateAsync(context.Request, TestContext.Current.CancellationToken);
    }

    private async Task<string?> RefusalAsync(string token)
    {
        var credential = await AuthenticateAsync(token);
        Assert.Null(credential.Caller);
        Assert.False(credential.Forbidden);
        return credential.Refusal;
    }

    [Fact]
    public async Task ADeveloperToken_IsAnEditorOfItsSub_UntilItsExpiryPasses()
    {
        var caller = (await AuthenticateAsync(AuthSetup.Developer("t1", exp: Now))).Caller;

        Assert.Equal(new Caller("openyuanrong:t1", new Core.Tenant("t1"), Role.Editor), caller);
        Assert.Equal("the X-Auth token has expired", await RefusalAsync(AuthSetup.Developer("t1", exp: Now - 1)));
        Assert.Equal("the X-Auth token has expired", await RefusalAsync(AuthSetup.Developer("t1", exp: -2)));
        Assert.NotNull((await AuthenticateAsync(AuthSetup.Developer("t1", exp: -1))).Caller);
    }

    [Fact]
    public async Task NoHeader_IsNothingOfThisScheme()
    {
        Assert.Equal(Credential.Absent, await AuthenticateAsync(null));
        Assert.Equal(Credential.Absent, await AuthenticateAsync(""));
    }

    [Theory]
    [InlineData("not-a-token", 1)]
    [InlineData("a.b", 2)]
    [InlineData("a.b.c.d", 4)]
    public async Task ATokenOfOtherThanThreeParts_IsMalformed(string token, int parts)
    {
        Assert.Equal($"the X-Auth token is malformed: expected header.payload.signature, got {parts} parts", await RefusalAsync(token));
    }

    [Fact]
    public async Task ASignatureOfAnotherKeyOrLength_DoesNotVerify()
    {
        const string NoVerify = "the X-Auth token's signature does not verify with the cluster's key";
        var token = AuthSetup.Developer("t1");
        var signed = token[..token.LastIndexOf('.')];

        Assert.Equal(NoVerify, await RefusalAsync(AuthSetup.Developer("t1", keyHex: "00112233445566778899AABBCCDDEEFF")));
        Assert.Equal(NoVerify, await RefusalAsync(signed + ".YWJj"));
        Assert.Equal(NoVerify, await RefusalAsync(signed + "." + token[(token.LastIndexOf('.') + 1)..] + "YQ"));
        Assert.Equal(NoVerify, await RefusalAsync(signed + ".*"));
    }

    [Theory]
    [InlineData("""{"exp":-1,"role":"developer"}""")]
    [InlineData("""{"sub":7,"exp":-1,"role":"developer"}""")]
    [InlineData("""{"sub":"t1","role":"developer"}""")]
    [InlineData("""{"sub":"t1","exp":"-1","role":"developer"}""")]
    [InlineData("""{"sub":"t1","exp":1.5,"role":"developer"}""")]
    [InlineData("""["t1"]""")]
    [InlineData("""{"sub":"t1",""")]
    public async Task APayloadWithoutAStringSubAndAWholeExp_IsRefused(string payload)
    {
        Assert.Equal("the X-Auth token's payload is not JSON with a string sub and a numeric exp", await RefusalAsync(AuthSetup.OpenYuanrongToken(payload)));
    }

    [Theory]
    [InlineData("""{"sub":"t1","exp":-1}""", "")]
    [InlineData("""{"sub":"t1","exp":-1,"role":7}""", "")]
    [InlineData("""{"sub":"t1","exp":-1,"role":"user"}""", "user")]
    public async Task ARoleOtherThanDeveloper_IsAGenuineTokenThatMayNotCall(string payload, string role)
    {
        var credential = await AuthenticateAsync(AuthSetup.OpenYuanrongToken(payload));

        Assert.True(credential.Forbidden);
        Assert.Equal($"the X-Auth token's role '{role}' may not call this service: role developer is required", credential.Refusal);
    }

    [Fact]
    public async Task AnEmptySub_NamesNoTenant()
    {
        Assert.Equal("the X-Auth token names no tenant (sub is empty)", await RefusalAsync(AuthSetup.Developer("")));
    }
}