using System.Net;

namespace MetaService.Server.Tests;

/// <summary>What the server acknowledged is there after a restart on the same data directory.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task Restart_KeepsCreatedUpdatedAndPublishedFunctions_WithTheirRevisionIds()
    {
        var first = new MetaServiceFactory();
        var faas = Names.Faas();
        var yrlib = Names.Yrlib();
        string draftRevision;
        string yrlibRevision;
        long storeRevision;
        using (var api = first.CreateApi())
        {
            var created = await api.CreateOkAsync(Bodies.Faas(faas));
            draftRevision = (string)(await api.UpdateOkAsync(faas, Bodies.Update((string)created["revisionId"]!, "faas").With("handler", "\"handler.v2\"")))["revisionId"]!;
            await api.PublishOkAsync(faas, draftRevision, "v1", "faas", "first");
            yrlibRevision = (string)(await api.CreateOkAsync(Bodies.Yrlib(yrlib)))["revisionId"]!;
            storeRevision = await first.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        }

        await using var second = await first.RestartAsync();

        using var restarted = second.CreateApi();
        var draft = await restarted.GetOkAsync(faas, "latest");
        Assert.Equal(draftRevision, (string?)draft["revisionId"]);
        Assert.Equal("handler.v2", (string?)draft["handler"]);
        var version = await restarted.GetOkAsync(faas, "v1");
        Assert.Equal(draftRevision, (string?)version["revisionId"]);
        Assert.Equal("first", (string?)version["versionDesc"]);
        Assert.Equal(yrlibRevision, (string?)(await restarted.GetOkAsync(yrlib))["revisionId"]);
        Assert.Equal(storeRevision, await second.Store.GetRevisionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restart_ThenUpdateWithThePersistedRevisionId_Succeeds()
    {
        var first = new MetaServiceFactory();
        var name = Names.Faas();
        string revision;
        using (var api = first.CreateApi())
        {
            revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        }

        await using var second = await first.RestartAsync();

        using var restarted = second.CreateApi();
        var updated = await restarted.UpdateOkAsync(name, Bodies.Update(revision, "faas"));
        Assert.True(Formats.RevisionTime((string)updated["revisionId"]!) > Formats.RevisionTime(revision));
        using var stale = await second.Store.NothingWrittenAsync(() => restarted.UpdateAsync(name, Bodies.Update(revision, "faas")));
        await Wire.AssertErrorAsync(stale, HttpStatusCode.PreconditionFailed, 4134);
    }

    [Fact]
    public async Task Restart_KeepsDeletions()
    {
        var first = new MetaServiceFactory();
        var name = Names.Faas();
        using (var api = first.CreateApi())
        {
            await api.CreateOkAsync(Bodies.Faas(name));
            using var deleted = await api.DeleteAsync(name);
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await using var second = await first.RestartAsync();

        using var restarted = second.CreateApi();
        using var gone = await restarted.GetAsync(name, "latest");
        await Wire.AssertErrorAsync(gone, HttpStatusCode.NotFound, 4115);
    }
}