using System.Text;

using MetaService.Server.Auth;

namespace MetaService.Server.Tests.Auth;

/// <summary>A viewer reads environment values and rootfs storage keys masked, in gets and in lists; an editor reads them,
/// and the platform keys keep them.</summary>
public sealed class ViewerMaskTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private Api? _viewer;
    private Api? _editor;
    private string _name = "";

    public async ValueTask InitializeAsync()
    {
        using var admin = AuthSetup.Bearer(_factory, await AuthSetup.AdminTokenAsync(_factory));
        _viewer = new Api(AuthSetup.Bearer(_factory, (await AuthSetup.CreateTokenAsync(admin, "alpha", "viewer")).Token));
        _editor = new Api(AuthSetup.Bearer(_factory, (await AuthSetup.CreateTokenAsync(admin, "alpha", "editor")).Token));
        _name = Names.Faas();
        await _editor.CreateOkAsync(Bodies.Faas(_name)
            .With("environment", """{"DB_PASSWORD":"hunter2"}""")
            .With("rootfs", """{"runtime":"runc","type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b","object":"o","accessKey":"AKIDEXAMPLE","secretKey":"s3cr3t"}}"""));
    }

    public async ValueTask DisposeAsync()
    {
        _viewer?.Dispose();
        _editor?.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Get_MasksSecrets_ForAViewerOnly()
    {
        var seen = await _viewer!.GetOkAsync(_name);
        var full = await _editor!.GetOkAsync(_name);

        Assert.Equal(SecretMask.Mask, (string?)seen["environment"]!["DB_PASSWORD"]);
        Assert.Equal(SecretMask.Mask, (string?)seen["rootfs"]!["storageInfo"]!["secretKey"]);
        Assert.Equal(SecretMask.Mask, (string?)seen["rootfs"]!["storageInfo"]!["accessKey"]);
        Assert.Equal("hunter2", (string?)full["environment"]!["DB_PASSWORD"]);
        Assert.Equal("s3cr3t", (string?)full["rootfs"]!["storageInfo"]!["secretKey"]);
    }

    [Fact]
    public async Task Lists_MaskSecrets_ForAViewer()
    {
        var rows = await _viewer!.ListRowsAsync("?name=" + _name);
        using var versions = await _viewer.ListVersionsAsync(_name);
        var versionRows = (await Wire.OkAsync(versions))["functions"]!.AsArray();

        Assert.DoesNotContain("hunter2", string.Join("", rows.Select(r => r.ToJsonString())), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", versionRows.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(SecretMask.Mask, (string?)Assert.Single(rows)["environment"]!["DB_PASSWORD"]);
    }

    [Fact]
    public async Task PlatformKeys_KeepTheValues()
    {
        var published = await _factory.Store.RangeAsync("/sn/functions/", cancellationToken: TestContext.Current.CancellationToken);

        var value = Encoding.UTF8.GetString(Assert.Single(published.Items, k => k.Key.Contains(_name, StringComparison.Ordinal)).Value);

        Assert.Contains("hunter2", value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEmptyStorageKey_StaysEmpty_SoThatAViewerSeesWhichAreSet()
    {
        var name = Names.Faas();
        await _editor!.CreateOkAsync(Bodies.Faas(name)
            .With("rootfs", """{"runtime":"runc","type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b","object":"o","accessKey":"AKIDEXAMPLE"}}"""));

        var storage = (await _viewer!.GetOkAsync(name))["rootfs"]!["storageInfo"]!;

        Assert.Equal(SecretMask.Mask, (string?)storage["accessKey"]);
        Assert.Equal("", (string?)storage["secretKey"]);
    }
}