using System.Net;
using System.Net.Http.Headers;

using MetaService.Server.Auth;
using MetaService.Server.Tokens;
using MetaService.Tests.Fixtures;

using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Auth;

/// <summary>
/// An HTTP/1.x connection remembers the token header it last proved, so that the next request with it skips the hash.
/// What must not change with that: a token revoked, changed or expired meanwhile is refused on that very connection;
/// another header on it is proved afresh; HTTP/2 remembers nothing. The scheme is driven directly with a connection's
/// items and a clock the test sets; the last test sends requests over one real Kestrel connection.
/// </summary>
public sealed class TokenConnectionTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private readonly SetClock _clock = new(DateTimeOffset.UtcNow);
    private HttpClient _admin = null!;
    private ApiTokenScheme _scheme = null!;

    public async ValueTask InitializeAsync()
    {
        _factory.Settings["urls"] = "http://127.0.0.1:0";
        _factory.UseKestrel();
        _factory.StartServer();
        _admin = Bearer(await AuthSetup.AdminTokenAsync(_factory));
        _scheme = new ApiTokenScheme(_factory.Services.GetRequiredService<TokenDirectory>(), _clock);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Revoked_IsRefused_OnTheConnectionThatProvedIt()
    {
        var (id, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "viewer");
        var connection = new Dictionary<object, object?>();
        // A token read from the store before the directory's watch brings it is proved on every request (not held).
        await HeldAsync(id);

        var first = await AuthenticateAsync(token, connection);
        var second = await AuthenticateAsync(token, connection);
        await AuthSetup.RevokeAsync(_admin, id);
        var revoked = await AuthenticateAsync(token, connection);

        Assert.Equal(id, first.Caller?.Id);
        Assert.Same(first.Caller, second.Caller);
        Assert.Null(revoked.Caller);
        Assert.Contains("unknown or revoked", revoked.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_IsRefused_OnTheConnectionThatProvedIt()
    {
        var (id, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "editor", expiresInSeconds: 3600);
        var connection = new Dictionary<object, object?>();

        var before = await AuthenticateAsync(token, connection);
        _clock.Now = DateTimeOffset.UtcNow.AddHours(2);
        var after = await AuthenticateAsync(token, connection);

        Assert.Equal(Role.Editor, before.Caller?.Role);
        Assert.Null(after.Caller);
        Assert.Contains($"the bearer token {id} has expired", after.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherHeader_OnTheSameConnection_IsProvedAfresh()
    {
        var (_, viewer) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "viewer");
        var (_, editor) = await AuthSetup.CreateTokenAsync(_admin, "beta", "editor");
        var connection = new Dictionary<object, object?>();

        var first = await AuthenticateAsync(viewer, connection);
        var second = await AuthenticateAsync(editor, connection);
        var forged = await AuthenticateAsync(TokenRecord.NewToken(), connection);

        Assert.Equal(("alpha", Role.Viewer), (first.Caller?.Tenant.TenantId, first.Caller?.Role ?? Role.Admin));
        Assert.Equal(("beta", Role.Editor), (second.Caller?.Tenant.TenantId, second.Caller?.Role ?? Role.Admin));
        Assert.Null(forged.Caller);
    }

    [Fact]
    public async Task Http2_RemembersNothing()
    {
        var (_, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "viewer");
        var connection = new Dictionary<object, object?>();

        var proved = await AuthenticateAsync(token, connection, HttpProtocol.Http2);

        Assert.NotNull(proved.Caller);
        Assert.Empty(connection);
    }

    [Fact]
    public async Task OverOneKestrelConnection_ARevokedTokenIsRefused_AtOnce()
    {
        var (id, token) = await AuthSetup.CreateTokenAsync(_admin, "alpha", "viewer");
        using var viewer = Bearer(token, connections: 1);

        using (var first = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken))
        using (var second = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken))
        {
            await Wire.OkAsync(first);
            await Wire.OkAsync(second);
        }

        await AuthSetup.RevokeAsync(_admin, id);
        using var after = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        await Wire.AssertErrorAsync(after, HttpStatusCode.Unauthorized, AuthGate.UnauthenticatedCode);
    }

    private ValueTask<Credential> AuthenticateAsync(string token, Dictionary<object, object?> connection, string protocol = "HTTP/1.1")
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IConnectionItemsFeature>(new ConnectionItems(connection));
        context.Request.Protocol = protocol;
        context.Request.Headers.Authorization = $"Bearer {token}";
        return _scheme.AuthenticateAsync(context.Request, TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until the token directory holds the token <paramref name="id"/> (its watch brought the create).</summary>
    private Task HeldAsync(string id)
    {
        var directory = _factory.Services.GetRequiredService<TokenDirectory>();
        return Polling.UntilAsync(
            async () => await directory.FindAsync(id, TestContext.Current.CancellationToken) is { } record && directory.Holds(record),
            $"the token directory holding the token {id}");
    }

    /// <summary>A client of the Kestrel server, over at most <paramref name="connections"/> connections.</summary>
    private HttpClient Bearer(string token, int connections = 4)
    {
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class ConnectionItems(IDictionary<object, object?> items) : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = items;
    }
}