using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's stylesheet and script as a browser fetches them: the content type, a strong ETag of the
/// content (a 304 to a browser that holds it), gzip only to a browser that accepts it, and pages that name each asset
/// with its content hash.</summary>
public sealed class ConsoleAssetsTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("console.css", "text/css; charset=utf-8")]
    [InlineData("console.js", "text/javascript; charset=utf-8")]
    public async Task AnAsset_IsServedWithItsTypeAndAStrongTagOfItsContent(string file, string type)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui/assets/" + file, TestContext.Current.CancellationToken);

        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.ToString());
        Assert.NotEmpty(bytes);
        Assert.Equal("\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"", response.Headers.ETag!.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal(["Accept-Encoding"], response.Headers.Vary);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br, GZIP")]
    public async Task ABrowserThatTakesGzip_GetsTheSameContentGzipped(string acceptEncoding)
    {
        using var client = ConsoleClient.Create(_factory);
        var plain = await client.GetByteArrayAsync("/ui/assets/console.js", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/console.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        await gzip.CopyToAsync(unzipped, TestContext.Current.CancellationToken);
        Assert.Equal(plain, unzipped.ToArray());
    }

    [Fact]
    public async Task ABrowserThatTakesOnlyBrotli_GetsItPlain()
    {
        using var client = ConsoleClient.Create(_factory);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/console.css");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task ABrowserHoldingTheAsset_Gets304_AndOneHoldingAnotherGetsItWhole()
    {
        using var client = ConsoleClient.Create(_factory);
        using var first = await client.GetAsync("/ui/assets/console.css", TestContext.Current.CancellationToken);
        var tag = first.Headers.ETag!;

        using var held = await SendAsync(client, tag);
        using var other = await SendAsync(client, new EntityTagHeaderValue("\"0123456789abcdef\""));

        Assert.Equal(HttpStatusCode.NotModified, held.StatusCode);
        Assert.Empty(await held.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(tag, held.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEmpty(await other.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("console.map")]
    [InlineData("Console.css")]
    public async Task AnAssetTheServerDoesNotHave_Is404(string file)
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await client.GetAsync("/ui/assets/" + file, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task APage_NamesEachAssetWithTheStartOfItsTag()
    {
        var admin = await AuthSetup.AdminTokenAsync(_factory);
        using var client = ConsoleClient.Create(_factory);
        using var css = await client.GetAsync("/ui/assets/console.css", TestContext.Current.CancellationToken);
        using var js = await client.GetAsync("/ui/assets/console.js", TestContext.Current.CancellationToken);
        using var signedIn = ConsoleClient.WithCookies(_factory, (Server.Ui.ConsoleGate.SessionCookie, "b." + admin));

        using var signIn = await client.GetAsync("/ui/signin", TestContext.Current.CancellationToken);
        using var functions = await signedIn.GetAsync("/ui", TestContext.Current.CancellationToken);

        var stylesheet = $"""<link rel="stylesheet" href="/ui/assets/console.css?v={css.Headers.ETag!.Tag[1..9]}" />""";
        var script = $"""<script src="/ui/assets/console.js?v={js.Headers.ETag!.Tag[1..9]}" defer></script>""";
        Assert.Contains(stylesheet, await ConsoleClient.TextAsync(signIn));
        Assert.Contains(stylesheet, await ConsoleClient.TextAsync(functions));
        Assert.Contains(script, await ConsoleClient.TextAsync(functions));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, EntityTagHeaderValue tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/console.css");
        request.Headers.IfNoneMatch.Add(tag);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}