namespace MetaService.Server.Tests.Auth;

/// <summary>
/// A watch outlives the request that opened it, so the credential it was opened with is asked again while it runs: a
/// token revoked meanwhile ends the stream with <c>event: error</c> <c>{code: 401}</c> (within a heartbeat), and a token
/// that still holds keeps its stream through those checks. Heartbeats every 0.2 s here, so checks come often.
/// </summary>
public sealed class WatchRevocationTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private HttpClient _admin = null!;
    private string _adminToken = "";

    public async ValueTask InitializeAsync()
    {
        _factory.Settings["Watch:HeartbeatSeconds"] = "0.2";
        _adminToken = await AuthSetup.AdminTokenAsync(_factory);
        _admin = AuthSetup.Bearer(_factory, _adminToken, "alpha");
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task ARevokedToken_EndsTheWatchItOpened_WithA401Event()
    {
        var (id, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "viewer");
        using var client = AuthSetup.Bearer(_factory, token, "alpha");
        using var watch = await WatchClient.OpenAsync(client, "?kind=functions");
        Assert.True(await watch.CommentAfterAsync(watch.Comments));

        await AuthSetup.RevokeAsync(_admin, id);

        var events = new List<ServerEvent>();
        for (var i = 0; i < 100 && await watch.NextAsync() is { } next; i++)
        {
            events.Add(next);
        }

        var last = Assert.Single(events);
        Assert.Equal("error", last.Event);
        Assert.Equal(401, (int)last.Json["code"]!);
        Assert.Contains("revoked or has expired", (string)last.Json["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedToken_EndsAWatchWhoseHeartbeatsComeLessOftenThanTheChecks()
    {
        // Heartbeats further apart than the check's interval (1 s): each heartbeat is due a check. The token is revoked
        // after two heartbeats (the first may come less than a second after the watch opened), so that the check due is
        // one more than a second after the last.
        await using var slow = AuthSetup.Factory();
        slow.Settings["Watch:HeartbeatSeconds"] = "1.2";
        using var admin = AuthSetup.Bearer(slow, await AuthSetup.AdminTokenAsync(slow), "alpha");
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "alpha", "viewer");
        using var client = AuthSetup.Bearer(slow, token, "alpha");
        using var watch = await WatchClient.OpenAsync(client, "?kind=functions");
        Assert.True(await watch.CommentAfterAsync(watch.Comments));
        Assert.True(await watch.CommentAfterAsync(watch.Comments));
        Assert.True(await watch.CommentAfterAsync(watch.Comments));

        await AuthSetup.RevokeAsync(admin, id);

        var last = await watch.NextAsync();
        Assert.Equal("error", last?.Event);
        Assert.Equal(401, (int)last!.Json["code"]!);
    }

    [Fact]
    public async Task ATokenThatHolds_KeepsItsWatch_ThroughTheChecks()
    {
        var (_, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "editor");
        using var client = AuthSetup.Bearer(_factory, token, "alpha");
        using var watch = await WatchClient.OpenAsync(client, "?kind=functions");
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await watch.CommentAfterAsync(watch.Comments));
        }

        var name = Names.Faas();
        using var api = new Api(AuthSetup.Bearer(_factory, _adminToken, "alpha"));
        await api.CreateOkAsync(Bodies.Faas(name));

        var put = await watch.NextAsync();
        Assert.Equal("put", put?.Event);
        Assert.Equal(name, (string)put!.Json["name"]!);
    }
}