using System.Net;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Server.Tokens;
using MetaService.Tests.Fixtures;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Auth;

/// <summary>The token routes of a server whose token directory follows the store through a <see cref="HeldWatchStore"/>:
/// a revocation is forgotten by this replica at once, not when its watch brings the deletion; a token whose record
/// cannot be written (its id taken meanwhile) is refused, not shown.</summary>
public sealed class HeldDirectoryTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private HeldWatchStore? _held;
    private WebApplicationFactory<Program> _server = null!;
    private string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _server = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(sp => new TokenDirectory(
            _held = new HeldWatchStore(sp.GetRequiredService<IMetaStore>()), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TokenDirectory>>()))));
        using (_server.CreateClient())
        {
        }

        _admin = (await File.ReadAllTextAsync(AuthSetup.BootstrapFile(_factory), TestContext.Current.CancellationToken)).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        _held?.Release();
        await _server.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private TokenDirectory Directory => _server.Services.GetRequiredService<TokenDirectory>();

    [Fact]
    public async Task ARevokedToken_IsRefusedAtOnce_ByTheReplicaThatRevokedIt_BeforeItsWatchBringsTheDeletion()
    {
        using var admin = Client(_admin);
        var (id, token) = await AuthSetup.CreateTokenAsync(admin, "alpha", "viewer");
        await Polling.UntilAsync(async () => await Directory.FindAsync(id, TestContext.Current.CancellationToken) is { } made && Directory.Holds(made), "the new token held");
        using var viewer = Client(token, "alpha");
        using var before = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        _held!.Hold();
        await AuthSetup.RevokeAsync(admin, id);
        using var after = await viewer.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);
        var stillHeld = await Directory.FindAsync(id, TestContext.Current.CancellationToken);
        _held.Release();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await Wire.AssertErrorAsync(after, HttpStatusCode.Unauthorized, 190401);
        Assert.Null(stillHeld);
    }

    [Fact]
    public async Task ATokenWhoseRecordCannotBeWritten_IsRefusedAsAConflict_AndNotShown()
    {
        using var admin = Client(_admin);
        var before = await _factory.Store.RangeAsync(TokenRecord.Prefix, cancellationToken: TestContext.Current.CancellationToken);

        // The store refuses the write's "no record under this id" compare, as it would for an id already taken.
        _held!.LoseEveryTxn = true;
        using var response = await admin.PostAsync(AuthSetup.TokensRoot, new StringContent("""{"role":"viewer","tenant":"alpha"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        _held.LoseEveryTxn = false;
        var after = await _factory.Store.RangeAsync(TokenRecord.Prefix, cancellationToken: TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("a token with this id exists; create again", await Wire.AssertErrorAsync(response, HttpStatusCode.Conflict, 4104));
        Assert.DoesNotContain(TokenRecord.TokenStart, text, StringComparison.Ordinal);
        Assert.Equal(before.Items.Select(kv => kv.Key), after.Items.Select(kv => kv.Key));
    }

    private HttpClient Client(string token, string? tenant = null)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("X-Tenant-Id", tenant);
        }

        return client;
    }
}