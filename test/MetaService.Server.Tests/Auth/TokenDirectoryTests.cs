using System.Net;

using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Tokens;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests.Auth;

/// <summary>The token directory of a server: the tokens in the store when it starts are held in memory; one made, changed
/// or revoked through another replica is held, replaced or dropped as soon as the store's watch brings it, so a revoked
/// token is refused by every replica.</summary>
public sealed class TokenDirectoryTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private TokenDirectory Directory => _factory.Services.GetRequiredService<TokenDirectory>();

    [Fact]
    public async Task TheTokensInTheStoreAtStart_AreHeld()
    {
        var found = await Directory.FindAsync(TokenRecord.IdOf(TokenRecord.HashOf(_admin)), TestContext.Current.CancellationToken);

        // A server started after the token was stored reads it with its first range, not from its watch.
        await using var later = MetaServiceFactory.ReplicaOf(_factory);
        var itsDirectory = later.Services.GetRequiredService<TokenDirectory>();
        await Polling.UntilAsync(async () => await itsDirectory.FindAsync(found!.Id, TestContext.Current.CancellationToken) is { } loaded && itsDirectory.Holds(loaded), "the stored token held by a server started later");

        Assert.NotNull(found);
        Assert.True(Directory.Holds(found));
        Assert.Same(found, await Directory.FindAsync(found.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ATokenWrittenChangedAndDeletedInTheStore_ByAnotherReplica_IsHeldReplacedAndDropped_AsTheWatchBringsIt()
    {
        // Written to the store directly, as another replica's token routes write it: only the store's watch tells this
        // server (its own routes also update the directory at once).
        var token = TokenRecord.NewToken();
        var viewer = StoredTokens.Of(token, "alpha", Role.Viewer);
        using var client = AuthSetup.Bearer(_factory, token, "alpha");

        await StoredTokens.PutAsync(_factory.Store, viewer);
        await Polling.UntilAsync(async () => await Directory.FindAsync(viewer.Id, TestContext.Current.CancellationToken) is { } made && Directory.Holds(made), "the new token held");
        var made = (await Directory.FindAsync(viewer.Id, TestContext.Current.CancellationToken))!;
        using var asViewer = await client.PostAsync(Api.ServerlessRoot, new StringContent("{}"), TestContext.Current.CancellationToken);
        await StoredTokens.PutAsync(_factory.Store, viewer with { Role = Role.Editor });
        await Polling.UntilAsync(async () => (await Directory.FindAsync(viewer.Id, TestContext.Current.CancellationToken))?.Role == Role.Editor, "the changed token held");
        var madeHeldAfterTheChange = Directory.Holds(made);
        using var asEditor = await client.PostAsync(Api.ServerlessRoot, new StringContent("{}"), TestContext.Current.CancellationToken);
        await _factory.Store.TxnAsync([], [new WriteOp.Delete(viewer.Key)], TestContext.Current.CancellationToken);
        await Polling.UntilAsync(async () => await Directory.FindAsync(viewer.Id, TestContext.Current.CancellationToken) is null, "the deleted token dropped");
        using var deleted = await client.GetAsync(Api.ServerlessRoot, TestContext.Current.CancellationToken);

        Assert.False(madeHeldAfterTheChange);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, asEditor.StatusCode);
        await Wire.AssertErrorAsync(deleted, HttpStatusCode.Unauthorized, 190401);
    }
}