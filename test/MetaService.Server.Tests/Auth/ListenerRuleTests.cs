using MetaService.Server.Auth;
using MetaService.Server.OriginalConfig;

using Microsoft.Extensions.Configuration;

namespace MetaService.Server.Tests.Auth;

/// <summary>Which listeners count as not loopback (so that mode none refuses to start on them), read from every place a
/// listener is configured, and the refusal's whole message.</summary>
public sealed class ListenerRuleTests
{
    [Theory]
    [InlineData(" http://127.0.0.1:1 ; ;http://10.0.0.1:2 ", "http://10.0.0.1:2")]
    [InlineData("127.0.0.1:31182;0.0.0.0:31183", "0.0.0.0:31183")]
    [InlineData("http://[::1]:31182;http://[fe80::1]:31183", "http://[fe80::1]:31183")]
    [InlineData("http://LOCALHOST:31182/;https://metaservice.example/", "https://metaservice.example/")]
    public void Urls_OnlyTheNonLoopbackOnesAreNamed(string urls, string named)
    {
        Assert.Equal([named], ListenerRule.NonLoopback(Configuration(("urls", urls))));
    }

    [Fact]
    public void KestrelEndpoints_AreReadBesideTheUrls()
    {
        var configuration = Configuration(
            ("urls", "http://127.0.0.1:1"),
            ("Kestrel:Endpoints:Open:Url", "http://0.0.0.0:2"),
            ("Kestrel:Endpoints:Local:Url", "http://127.0.0.1:3"),
            ("Kestrel:Endpoints:NoUrl:Protocols", "Http2"));

        Assert.Equal(["http://0.0.0.0:2"], ListenerRule.NonLoopback(configuration));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Ports_BindEveryInterface_WhenNoUrlIsSet(string? urls)
    {
        var configuration = Configuration(("urls", urls), ("http_ports", "8080"), ("https_ports", "8443;9443"), ("Kestrel:Endpoints:E:Url", "http://127.0.0.1:4"));

        Assert.Equal(["HTTP_PORTS=8080", "HTTPS_PORTS=8443;9443"], ListenerRule.NonLoopback(configuration));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void APortSettingLeftEmpty_BindsNothing(string? https)
    {
        var configuration = Configuration(("http_ports", "8080"), ("https_ports", https));

        Assert.Equal(["HTTP_PORTS=8080"], ListenerRule.NonLoopback(configuration));
    }

    [Fact]
    public void Ports_AreIgnored_WhenUrlsAreSet()
    {
        var configuration = Configuration(("urls", "http://127.0.0.1:1"), ("http_ports", "8080"), ("https_ports", ""));

        Assert.Empty(ListenerRule.NonLoopback(configuration));
    }

    [Fact]
    public void ModeNone_OnAnOpenListener_IsRefused_NamingEveryWayOut()
    {
        var result = new ListenerRule(Configuration(("urls", "http://0.0.0.0:1;http://10.0.0.1:2"))).Validate(null, new AuthOptions());

        Assert.True(result.Failed);
        Assert.Equal(
            "Auth:Mode is none (no credential asked) but the server would listen on http://0.0.0.0:1, http://10.0.0.1:2, which is not loopback: "
            + "set Auth:Mode to token, openyuanrong or mtls (docs/security.md), listen on 127.0.0.1 only, "
            + "or set Auth:AllowUnauthenticatedNetwork to true to let anyone who reaches the port act as any tenant",
            result.FailureMessage);
    }

    [Theory]
    [InlineData("/etc/yuanrong/config.json", true)]
    [InlineData("", false)]
    public void AServerStartedFromTheOriginalsConfigFile_ListensWhereTheFileSays(string configPath, bool starts)
    {
        var configuration = Configuration(("urls", "http://0.0.0.0:1"), (OriginalConfigRegistration.ConfigPathKey, configPath));

        Assert.Equal(starts, new ListenerRule(configuration).Validate(null, new AuthOptions()).Succeeded);
    }

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
}