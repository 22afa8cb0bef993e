using System.Net;
using System.Text.Json.Nodes;

using MetaService.Server.Auth;

namespace MetaService.Server.Tests;

/// <summary>The watch with authentication on (API tokens): a viewer's function events carry environment values and
/// secret members masked exactly as its gets do, an editor's as its gets do; <c>kind=podpools</c> is refused (403, nothing
/// streamed) to whoever the pool list refuses and open to admins; <c>kind=aliases</c> is open to whoever may read an alias
/// and refused to whoever may not. Runs on the embedded store and on etcd.</summary>
public sealed class WatchAuthTests : IAsyncLifetime
{
    private const string Tenant = "alpha";
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private HttpClient? _admin;
    private Api? _viewer;
    private Api? _editor;
    private string _otherViewer = "";

    public async ValueTask InitializeAsync()
    {
        _admin = AuthSetup.Bearer(_factory, await AuthSetup.AdminTokenAsync(_factory));
        _viewer = new Api(AuthSetup.Bearer(_factory, (await AuthSetup.CreateTokenAsync(_admin, Tenant, "viewer")).Token));
        _editor = new Api(AuthSetup.Bearer(_factory, (await AuthSetup.CreateTokenAsync(_admin, Tenant, "editor")).Token));
        _otherViewer = (await AuthSetup.CreateTokenAsync(_admin, "beta", "viewer")).Token;
    }

    public async ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        _viewer?.Dispose();
        _editor?.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task FunctionEvents_ForAViewer_AreMaskedExactlyAsItsGet_AndForAnEditor_AreAsItsGet()
    {
        var name = Names.Faas();
        using var viewerStream = await WatchClient.OpenAsync(_viewer!.Client, "?kind=functions&name=" + name);
        using var editorStream = await WatchClient.OpenAsync(_editor!.Client, "?kind=functions&name=" + name);

        await _editor.CreateOkAsync(Bodies.Faas(name)
            .With("environment", """{"DB_PASSWORD":"hunter2"}""")
            .With("rootfs", """{"runtime":"runc","type":"s3","storageInfo":{"endpoint":"http://s3","bucket":"b","object":"o","accessKey":"AKIDEXAMPLE","secretKey":"s3cr3t"}}"""));

        var seenByViewer = (await viewerStream.NextAsync())!.Json;
        var seenByEditor = (await editorStream.NextAsync())!.Json;
        AssertSame(await _viewer.GetOkAsync(name), seenByViewer);
        AssertSame(await _editor.GetOkAsync(name), seenByEditor);
        Assert.Equal(SecretMask.Mask, (string?)seenByViewer["environment"]!["DB_PASSWORD"]);
        Assert.Equal(SecretMask.Mask, (string?)seenByViewer["rootfs"]!["storageInfo"]!["secretKey"]);
        Assert.DoesNotContain("hunter2", seenByViewer.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("hunter2", (string?)seenByEditor["environment"]!["DB_PASSWORD"]);
        Assert.Equal("s3cr3t", (string?)seenByEditor["rootfs"]!["storageInfo"]!["secretKey"]);
    }

    [Fact]
    public async Task PodPools_ForANonAdmin_Are403AsThePoolList_WithNothingStreamed_AndForAnAdmin_AreStreamed()
    {
        foreach (var caller in new[] { _viewer!.Client, _editor!.Client })
        {
            using var list = await caller.GetAsync(new Uri("/serverless/v1/podpools", UriKind.Relative), TestContext.Current.CancellationToken);
            using var watch = await _factory.Store.NothingWrittenAsync(() => WatchClient.SendAsync(caller, "?kind=podpools"));

            await Wire.AssertErrorAsync(list, HttpStatusCode.Forbidden, AuthGate.ForbiddenCode);
            Assert.NotEqual("text/event-stream", watch.Content.Headers.ContentType?.MediaType);
            Assert.Equal("role admin is required to watch pod pools", await Wire.AssertErrorAsync(watch, HttpStatusCode.Forbidden, AuthGate.ForbiddenCode));
        }

        // Each refusal is counted with its code: the two lists' and the two watches' (at least: OpenTelemetry merges the
        // series of every server alive in the process, and other tests' servers refuse too; the exact counts are
        // Observability/MetricsTests', which run alone).
        await Observability.Scrape.UntilAsync(_admin!, 4, "metaservice_refusals_total", $"code=\"{AuthGate.ForbiddenCode}\"");

        var id = "p" + Names.Hex();
        using (var adminList = await _admin!.GetAsync(new Uri("/serverless/v1/podpools", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            await Wire.OkAsync(adminList);
        }

        using var stream = await WatchClient.OpenAsync(_admin, "?kind=podpools&name=" + id);
        using (var created = await _admin.PostAsync(new Uri("/serverless/v1/podpools", UriKind.Relative),
            new StringContent($$"""{"pools":[{"id":"{{id}}","size":1,"max_size":4}]}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            await Wire.OkAsync(created);
        }

        var pool = (await stream.NextAsync())!;
        Assert.Equal(("put", id), (pool.Event, (string?)pool.Json["id"]));
    }

    [Fact]
    public async Task Aliases_AreWatchedByWhoeverMayReadAnAlias_WithItsGetAsData_AndRefusedAsItsGetIs()
    {
        var name = Names.Faas();
        var revision = (string)(await _editor!.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await _editor.PublishOkAsync(name, revision, "v1");
        using var stream = await WatchClient.OpenAsync(_viewer!.Client, "?kind=aliases&name=" + name);

        await _editor.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        var seen = (await stream.NextAsync())!;
        Assert.Equal("put", seen.Event);
        AssertSame(await _viewer.GetAliasOkAsync(name, "prod"), seen.Json);
        using var anonymous = AuthSetup.Bearer(_factory, null, Tenant);
        using var otherTenant = AuthSetup.Bearer(_factory, _otherViewer, Tenant);
        foreach (var (caller, status) in new[] { (anonymous, HttpStatusCode.Unauthorized), (otherTenant, HttpStatusCode.Forbidden) })
        {
            using var get = await caller.GetAsync(new Uri($"/serverless/v1/functions/{Uri.EscapeDataString(name)}/aliases/prod", UriKind.Relative), TestContext.Current.CancellationToken);
            using var watch = await _factory.Store.NothingWrittenAsync(() => WatchClient.SendAsync(caller, "?kind=aliases&name=" + name));

            Assert.Equal(status, get.StatusCode);
            Assert.Equal(status, watch.StatusCode);
        }
    }

    private static void AssertSame(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
}