using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Tests.Observability;
using MetaService.Server.Tokens;

using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Auth;

/// <summary>The first admin token (<c>Auth:BootstrapTokenFile</c>): a token in the file is registered once, as the default
/// tenant's admin; a missing file is made, in a folder made for it; a token too short or in the form of a JWT stops the
/// server with a line that says so; without one, the server warns while the store holds no admin token.</summary>
public sealed class TokenBootstrapTests
{
    private const string NoAdmin = "no admin token exists";

    private static MetaServiceFactory Factory(Func<MetaServiceFactory, string?> file)
    {
        var factory = new MetaServiceFactory();
        factory.Settings["Auth:Mode"] = "token";
        if (file(factory) is { } path)
        {
            factory.Settings["Auth:BootstrapTokenFile"] = path;
        }

        return factory;
    }

    [Fact]
    public async Task ATokenInTheFile_IsRegisteredOnce_AsTheDefaultTenantsAdmin()
    {
        await using var factory = Factory(f => Path.Combine(f.DataDirectory, "given.token"));
        var file = factory.Settings["Auth:BootstrapTokenFile"];
        Directory.CreateDirectory(factory.DataDirectory);
        var token = "k" + new string('9', TokenBootstrap.MinimumLength - 1);
        await File.WriteAllTextAsync(file, $"  {token}\n", TestContext.Current.CancellationToken);
        var id = TokenRecord.IdOf(TokenRecord.HashOf(token));

        var (first, firstLog) = LogCapture.Attach(factory);
        var tokens = await ListAsync(first, token);
        await first.DisposeAsync();
        await using var replica = MetaServiceFactory.ReplicaOf(factory);
        var (second, secondLog) = LogCapture.Attach(replica);
        var again = await ListAsync(second, token);

        var row = Assert.Single(tokens)!;
        Assert.Equal((id, "default", "", "admin", "bootstrap"), ((string?)row["id"], (string?)row["tenant"], (string?)row["product"], (string?)row["role"], (string?)row["description"]));
        Assert.Contains(firstLog.Lines, l => l.Contains($"registered the bootstrap admin token {id} from {Path.GetFullPath(file)}", StringComparison.Ordinal));
        Assert.Equal([id], again.Select(t => (string?)t!["id"]));
        Assert.DoesNotContain(secondLog.Lines, l => l.Contains("registered the bootstrap admin token", StringComparison.Ordinal));
        await second.DisposeAsync();
    }

    [Fact]
    public async Task TheVariable_IsRegistered_AndTheFileIsNeitherReadNorMade()
    {
        // METASERVICE_BOOTSTRAP_TOKEN is read through the configuration (which holds the environment's variables), so
        // this server alone is given one, as a setting.
        await using var factory = Factory(f => Path.Combine(f.DataDirectory, "never.token"));
        var file = factory.Settings["Auth:BootstrapTokenFile"];
        var token = "v" + new string('7', TokenBootstrap.MinimumLength - 1);
        factory.Settings[TokenBootstrap.Variable] = token;

        var (server, log) = LogCapture.Attach(factory);
        var tokens = await ListAsync(server, token);
        await server.DisposeAsync();

        var row = Assert.Single(tokens)!;
        Assert.Equal((TokenRecord.IdOf(TokenRecord.HashOf(token)), "admin", "bootstrap"), ((string?)row["id"], (string?)row["role"], (string?)row["description"]));
        Assert.Contains(log.Lines, l => l.Contains($"registered the bootstrap admin token {row["id"]} from {TokenBootstrap.Variable}", StringComparison.Ordinal));
        Assert.False(File.Exists(file));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AMissingFile_IsMade_InAFolderMadeForIt()
    {
        await using var factory = Factory(f => Path.Combine(f.DataDirectory, "not", "yet", "admin.token"));
        var file = factory.Settings["Auth:BootstrapTokenFile"];

        var (server, log) = LogCapture.Attach(factory);
        using (server.CreateClient())
        {
        }

        var token = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        Assert.StartsWith(TokenRecord.TokenStart, token, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("admin", (string?)Assert.Single(await ListAsync(server, token))!["role"]);
        Assert.Contains(log.Lines, l => l.Contains($"wrote a new admin token to {Path.GetFullPath(file)}", StringComparison.Ordinal));
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData("short", "has 31 characters: give at least 32 random ones (or delete the file to have one made)")]
    [InlineData("jwt", "has the form of a JWT (header.payload.signature): give random characters without dots (or delete the file to have one made)")]
    public async Task ABadToken_StopsTheServer_SayingWhatIsWrong(string kind, string message)
    {
        await using var factory = Factory(f => Path.Combine(f.DataDirectory, "bad.token"));
        var file = factory.Settings["Auth:BootstrapTokenFile"];
        Directory.CreateDirectory(factory.DataDirectory);
        var token = kind == "short" ? new string('s', TokenBootstrap.MinimumLength - 1) : "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
        await File.WriteAllTextAsync(file, token, TestContext.Current.CancellationToken);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains($"the bootstrap token of {Path.GetFullPath(file)} {message}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutABootstrapToken_TheServerWarns_WhileTheStoreHoldsNoAdminToken()
    {
        await using var factory = Factory(_ => null);

        // Three starts on one store: with no token, then with a viewer's, then with an admin's as well.
        var alone = await StartAndPutAsync(factory, Role.Viewer);
        await using var second = MetaServiceFactory.ReplicaOf(factory);
        var viewerOnly = await StartAndPutAsync(second, Role.Admin);
        await using var third = MetaServiceFactory.ReplicaOf(factory);
        var administered = await StartAndPutAsync(third, null);

        Assert.Contains(alone, l => l.Contains(NoAdmin, StringComparison.Ordinal));
        Assert.Contains(viewerOnly, l => l.Contains(NoAdmin, StringComparison.Ordinal));
        Assert.DoesNotContain(administered, l => l.Contains(NoAdmin, StringComparison.Ordinal));
    }

    /// <summary>Starts a server of <paramref name="factory"/>, writes a token of <paramref name="role"/> (when given) to
    /// its store and stops it; the lines it logged.</summary>
    private static async Task<IReadOnlyCollection<string>> StartAndPutAsync(MetaServiceFactory factory, Role? role)
    {
        var (server, log) = LogCapture.Attach(factory);
        if (role is { } given)
        {
            await StoredTokens.PutAsync(server.Services.GetRequiredService<IMetaStore>(), StoredTokens.Of(TokenRecord.NewToken(), "default", given));
        }
        else
        {
            using (server.CreateClient())
            {
            }
        }

        await server.DisposeAsync();
        return log.Lines;
    }

    private static async Task<JsonArray> ListAsync(WebApplicationFactory<Program> server, string token)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(AuthSetup.TokensRoot, TestContext.Current.CancellationToken);
        return (await Wire.OkAsync(response))["tokens"]!.AsArray();
    }
}