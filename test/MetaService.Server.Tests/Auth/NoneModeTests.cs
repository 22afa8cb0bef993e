using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Auth;

/// <summary>Mode none (the default) is refused at start on a listener that is not loopback, naming the setting that
/// allows it; loopback listeners, or that setting, start.</summary>
public sealed class NoneModeTests
{
    [Theory]
    [InlineData("http://0.0.0.0:31182")]
    [InlineData("http://*:31182")]
    [InlineData("http://127.0.0.1:31182;http://10.1.2.3:31182")]
    [InlineData("http://metaservice.example:31182")]
    public async Task NonLoopbackListener_IsRefusedAtStart(string urls)
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["urls"] = urls;

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Auth:AllowUnauthenticatedNetwork", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Mode", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("http://127.0.0.1:31182", null)]
    [InlineData("http://localhost:31182;http://[::1]:31183", null)]
    [InlineData("http://0.0.0.0:31182", "true")]
    public async Task LoopbackOrExplicit_Starts(string urls, string? allow)
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["urls"] = urls;
        if (allow is not null)
        {
            factory.Settings["Auth:AllowUnauthenticatedNetwork"] = allow;
        }

        using var client = factory.CreateClient();
        using var response = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        await Wire.OkAsync(response);
    }

    [Theory]
    [InlineData("Auth:Mode", "tokens", "is not a mode")]
    [InlineData("Auth:Mode", "none,token", "combines none")]
    [InlineData("Auth:Mode", "openyuanrong", "LITEBUS_DATA_KEY")]
    public async Task BadAuthSetting_IsRefusedAtStart(string key, string value, string message)
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings[key] = value;
        factory.Settings["Auth:OpenYuanrong:DataKey"] = "";

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}