using System.Net;

using MetaService.Server.Limits;

namespace MetaService.Server.Tests.Limits;

/// <summary>A caller past its rate answers 429 with <c>Retry-After</c>, and stores nothing. The rate here refills one
/// request every 1000 s, so no test depends on how fast it runs.</summary>
public sealed class RequestRateTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.Settings["Limits:RequestsPerSecond"] = "0.001";
        _factory.Settings["Limits:RequestBurst"] = "2";
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task PastTheBurst_Answers429WithRetryAfter_AndStoresNothing()
    {
        using var api = _factory.CreateApi(tenant: "rate-a");
        using var first = await api.ListAsync();
        using var second = await api.ListAsync();

        using var refused = await _factory.Store.NothingWrittenAsync(() => api.CreateAsync(Bodies.Yrlib(Names.Yrlib())));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var message = await Wire.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, 429);
        // Retry-After counts the whole refill periods the missing token needs: one, of 1000 s.
        Assert.Equal(TimeSpan.FromSeconds(1000), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("too many requests from this caller: at most 0.001 per second; retry after 1000 s", message);
    }

    [Fact]
    public async Task ARateOf0_LimitsNothing()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Limits:RequestsPerSecond"] = "0";
        factory.Settings["Limits:RequestBurst"] = "1";
        using var api = factory.CreateApi(tenant: "rate-off");

        for (var i = 0; i < 5; i++)
        {
            using var listed = await api.ListAsync();
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }
    }

    [Theory]
    [InlineData(1000, 2000, 100, 100)]
    [InlineData(30, 5, 100, 3)]
    [InlineData(5, 1, 200, 1)]
    [InlineData(0.001, 2, 1_000_000, 1)]
    public void TheBucket_RefillsEvery100Milliseconds_OrOncePerRequestBelow10ASecond(double perSecond, int burst, int periodMilliseconds, int tokensPerPeriod)
    {
        var bucket = RequestRate.Bucket(new LimitsOptions { RequestsPerSecond = perSecond, RequestBurst = burst });

        Assert.Equal(TimeSpan.FromMilliseconds(periodMilliseconds), bucket.ReplenishmentPeriod);
        Assert.Equal(tokensPerPeriod, bucket.TokensPerPeriod);
        Assert.Equal(burst, bucket.TokenLimit);
        Assert.Equal(0, bucket.QueueLimit);
        Assert.True(bucket.AutoReplenishment);
    }

    [Fact]
    public async Task EachCaller_HasItsOwnShare()
    {
        using var busy = _factory.CreateApi(tenant: "rate-busy");
        using var quiet = _factory.CreateApi(tenant: "rate-quiet");
        for (var i = 0; i < 2; i++)
        {
            using var spent = await busy.ListAsync();
        }

        using var refused = await busy.ListAsync();
        using var served = await quiet.ListAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task TwoCredentials_FromOneAddressAndTenant_HaveTheirOwnShares()
    {
        await using var factory = AuthSetup.Factory();
        factory.Settings["Limits:RequestsPerSecond"] = "0.001";
        factory.Settings["Limits:RequestBurst"] = "3";
        var admin = await AuthSetup.AdminTokenAsync(factory);
        (string Id, string Token) first, second;
        using (var asAdmin = AuthSetup.Bearer(factory, admin))
        {
            first = await AuthSetup.CreateTokenAsync(asAdmin, "rate-shared", "viewer");
            second = await AuthSetup.CreateTokenAsync(asAdmin, "rate-shared", "viewer");
        }

        using var busy = AuthSetup.Bearer(factory, first.Token, "rate-shared");
        using var quiet = AuthSetup.Bearer(factory, second.Token, "rate-shared");
        using var developer = AuthSetup.XAuth(factory, AuthSetup.Developer("rate-shared"), "rate-shared");
        for (var i = 0; i < 3; i++)
        {
            using var spent = await busy.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, spent.StatusCode);
        }

        using var refused = await busy.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
        using var served = await quiet.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
        using var alsoServed = await developer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alsoServed.StatusCode);
    }

    [Fact]
    public async Task ProbesAndScrapes_AreNotCounted()
    {
        using var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);
            using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }
    }
}