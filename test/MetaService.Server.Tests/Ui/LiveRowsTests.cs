using System.Net;

using MetaService.Server.Ui;

namespace MetaService.Server.Tests.Ui;

/// <summary>The functions page's live rows (<c>/ui/live</c>) over HTTP without a browser: from the page's revision, or
/// from the last event the browser saw, or from now when the position is not one the store has reached; only the
/// console tenant's changes.</summary>
public sealed class LiveRowsTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = AuthSetup.Factory();
    private string _admin = "";

    public async ValueTask InitializeAsync() => _admin = await AuthSetup.AdminTokenAsync(_factory);

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task TheRows_FollowFromThePagesRevision_OrFromTheLastEventSeen()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor", "t1");
        var page = await RevisionAsync();
        var first = await CreateAsync("t1");
        var second = await CreateAsync("t1");

        using var fromPage = await WatchClient.OpenAsync(client, "?since=" + page, path: "/ui/live");
        var seen = (await fromPage.NextAsync())!;
        using var resumed = await WatchClient.OpenAsync(client, "?since=" + page, lastEventId: seen.Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), path: "/ui/live");

        Assert.Equal(("put", first), (seen.Event, (string)seen.Json["name"]!));
        Assert.Equal(second, (string)(await resumed.NextAsync())!.Json["name"]!);
    }

    [Theory]
    [InlineData("ahead")]
    [InlineData("text")]
    [InlineData("none")]
    public async Task APositionTheStoreHasNotReached_FollowsFromNow(string since)
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor", "t1");
        await CreateAsync("t1");
        var now = await RevisionAsync();
        var query = since switch
        {
            "ahead" => "?since=" + (now + 100),
            "text" => "?since=r5",
            _ => "",
        };

        using var live = await WatchClient.OpenAsync(client, query, path: "/ui/live");
        var later = await CreateAsync("t1");

        Assert.Equal(later, (string)(await live.NextAsync())!.Json["name"]!);
    }

    [Fact]
    public async Task OnlyTheConsoleTenantsChanges_AreSent()
    {
        using var client = await ConsoleClient.SignedInAsAsync(_factory, _admin, "editor", "t1");
        var page = await RevisionAsync();
        await CreateAsync("t2");
        var own = await CreateAsync("t1");

        using var live = await WatchClient.OpenAsync(client, "?since=" + page, path: "/ui/live");

        Assert.Equal(own, (string)(await live.NextAsync())!.Json["name"]!);
    }

    [Fact]
    public async Task ARequestThatIsNotSignedIn_Is204()
    {
        using var client = ConsoleClient.Create(_factory);

        using var response = await WatchClient.SendAsync(client, "?since=1", path: "/ui/live");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public void AStream_LastsFiveMinutes() => Assert.Equal(TimeSpan.FromMinutes(5), LiveRows.Lifetime);

    private async Task<string> CreateAsync(string tenant)
    {
        var name = Names.Yrlib();
        using var api = new Api(AuthSetup.Bearer(_factory, _admin, tenant));
        await api.CreateOkAsync(Bodies.Yrlib(name));
        return name;
    }

    private async Task<long> RevisionAsync() => await _factory.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
}