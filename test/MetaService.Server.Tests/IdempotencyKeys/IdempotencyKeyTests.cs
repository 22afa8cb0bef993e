using System.Net;
using System.Net.Http.Headers;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Server.Idempotency;

using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.IdempotencyKeys;

/// <summary>What makes two requests the same for <c>Idempotency-Key</c>: the key (quoted or bare), the route with its
/// values, the query and the body up to the body limit; and the end of a key's window, to the millisecond, for the
/// requests and for the pruner, which goes through every page of keys. On the embedded store only: the clock these tests
/// move is the server's, which the etcd store's own waits follow too.</summary>
public sealed class IdempotencyKeyTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    private const string Functions = "/serverless/v1/functions";

    /// <summary>Where the keys are stored (under MetaService's own root).</summary>
    private const string Root = PlatformKeys.OwnRoot + "idempotency/";

    [Fact]
    public async Task AKeyInQuotes_IsTheBareKey_AndOnlyQuotesAtBothEndsAreTakenOff()
    {
        using var client = factory.CreateClient();
        var key = Guid.NewGuid().ToString("N");
        var body = Bodies.Faas(Names.Faas()).ToJsonString();

        var first = await IdempotencyTests.PostAsync(client, Functions, body, $"\"{key}\"");
        var bare = await IdempotencyTests.PostAsync(client, Functions, body, key);
        var trailingQuote = await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), $"{key}\"");
        var quote = await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), "\"");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(["true"], bare.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal((HttpStatusCode.OK, false), (trailingQuote.Status, trailingQuote.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(HttpStatusCode.OK, quote.Status);
    }

    [Fact]
    public async Task TheSameKeyAndBody_ForAnotherFunction_Is422_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var one = await api.FunctionWithVersionsAsync("v1");
        var other = await api.FunctionWithVersionsAsync("v1");
        var key = Guid.NewGuid().ToString();
        const string Alias = """{"name":"prod","functionVersion":"v1"}""";

        var first = await IdempotencyTests.PostAsync(api.Client, api.AliasesPath(one), Alias, key);
        var again = await factory.Store.NothingWrittenAsync(() => IdempotencyTests.PostAsync(api.Client, api.AliasesPath(other), Alias, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.Status);
    }

    [Fact]
    public async Task TheSameKeyAndBody_WithAnotherQuery_Is422_AndWritesNothing()
    {
        using var api = factory.CreateApi();
        var key = Guid.NewGuid().ToString();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();

        var first = await IdempotencyTests.PostAsync(api.Client, Functions + "?dryRun=false", body, key);
        var again = await factory.Store.NothingWrittenAsync(() => IdempotencyTests.PostAsync(api.Client, Functions, body, key));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.Status);
    }

    [Theory]
    [InlineData(false, 4001)]
    [InlineData(true, 4001)]
    [InlineData(false, 40_000)]
    [InlineData(true, 40_000)]
    public async Task ABodyOfExactlyTheLimit_IsKept_AndOneByteMoreOrMany_IsRefusedWithNothingKept(bool chunked, int length)
    {
        await using var server = new MetaServiceFactory();
        server.Settings["Server:MaxRequestBodyBytes"] = "4000";
        using var client = server.CreateClient();
        var body = Bodies.Faas(Names.Faas()).ToJsonString();
        var atTheLimit = body.PadRight(4000);
        var key = Guid.NewGuid().ToString();

        var first = await PostAsync(client, atTheLimit, key, chunked);
        var retry = await PostAsync(client, atTheLimit, key, chunked);
        var over = await server.Store.NothingWrittenAsync(() => PostAsync(client, Bodies.Faas(Names.Faas()).ToJsonString().PadRight(length), "over", chunked));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.Status, retry.Status));
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.Status);
    }

    [Fact]
    public async Task AtTheEndOfItsWindow_ToTheMillisecond_AKeyServesANewRequest_AndThePrunerDeletesIt()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
        await using var server = new MetaServiceFactory();
        server.Settings["Idempotency:WindowSeconds"] = "60";
        await using var clocked = server.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var client = clocked.CreateClient();
        var (asked, pruned) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), asked);
        await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), pruned);
        var pruner = clocked.Services.GetRequiredService<IdempotencyPruner>();
        var cancel = TestContext.Current.CancellationToken;

        clock.Now = clock.Now.AddSeconds(60).AddMilliseconds(-1);
        var lastMoment = await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), asked);
        var prunedAtTheLastMoment = await pruner.PruneAsync(clock.Now, cancel);
        clock.Now = clock.Now.AddMilliseconds(1);
        var atTheEnd = await IdempotencyTests.PostAsync(client, Functions, Bodies.Faas(Names.Faas()).ToJsonString(), asked);
        var prunedAtTheEnd = await pruner.PruneAsync(clock.Now, cancel);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, lastMoment.Status);
        Assert.Equal((HttpStatusCode.OK, false), (atTheEnd.Status, atTheEnd.Headers.Contains("Idempotent-Replayed")));
        // The pruner's sweep at the end deletes the other key; the asked one now holds the new request's answer.
        Assert.Equal((0, 1), (prunedAtTheLastMoment, prunedAtTheEnd));
    }

    [Fact]
    public async Task ThePruner_GoesThroughEveryPageOfKeys()
    {
        await using var server = new MetaServiceFactory();
        var expired = Encoding.UTF8.GetBytes("""{"id":"x","hash":"h","expiresAt":1,"status":200,"contentType":"application/json","headers":{},"body":""}""");
        var cancel = TestContext.Current.CancellationToken;
        _ = server.Services;
        for (var i = 0; i < 600; i += 100)
        {
            await server.Store.TxnAsync([], [.. Enumerable.Range(i, 100).Select(n => new WriteOp.Put($"{Root}yrk/t/p/functions.create/{n:D4}", expired))], cancel);
        }

        var pruned = await server.Services.GetRequiredService<IdempotencyPruner>().PruneAsync(DateTimeOffset.UtcNow, cancel);

        Assert.Equal(600, pruned);
        Assert.Empty((await server.Store.RangeAsync(Root, cancellationToken: cancel)).Items);
    }

    [Fact]
    public async Task ThePruner_DeletesAStoredAnswerItCannotRead_AndKeepsOneNotExpired()
    {
        await using var server = new MetaServiceFactory();
        var cancel = TestContext.Current.CancellationToken;
        var live = Encoding.UTF8.GetBytes($$"""{"id":"x","hash":"h","expiresAt":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}},"status":200,"contentType":"application/json","headers":{},"body":""}""");
        _ = server.Services;
        await server.Store.TxnAsync([], [new WriteOp.Put($"{Root}yrk/t/p/functions.create/broken", "{not json"u8.ToArray()), new WriteOp.Put($"{Root}yrk/t/p/functions.create/live", live)], cancel);

        var pruned = await server.Services.GetRequiredService<IdempotencyPruner>().PruneAsync(DateTimeOffset.UtcNow, cancel);

        Assert.Equal(1, pruned);
        Assert.Equal([$"{Root}yrk/t/p/functions.create/live"], (await server.Store.RangeAsync(Root, cancellationToken: cancel)).Items.Select(k => k.Key));
    }

    private static async Task<(HttpStatusCode Status, HttpResponseHeaders Headers)> PostAsync(HttpClient client, string body, string key, bool chunked)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (chunked)
        {
            // No Content-Length: the body is read to its end.
            await content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Functions, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Headers);
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}