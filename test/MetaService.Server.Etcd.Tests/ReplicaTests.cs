using System.Net;

using MetaService.Core.Catalog;

using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Server.Tests;

/// <summary>Two servers on one etcd (one key prefix): what one writes, the other serves once its catalog has followed the
/// store to that write's revision (a wait bounded by the catalog itself, which fails past it); a race between them on one
/// revisionId has one winner.</summary>
public sealed class ReplicaTests() : TwoReplicas(new())
{
    [Fact]
    public async Task CreateThroughA_IsServedByB()
    {
        using var a = A.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Faas();
        await b.ListRowsAsync("");

        var created = await a.CreateOkAsync(Bodies.Faas(name));

        await BFollowsAAsync();
        var seen = await b.GetOkAsync(name);
        Assert.Equal((string?)created["revisionId"], (string?)seen["revisionId"]);
    }

    [Fact]
    public async Task UpdateAndPublishThroughA_AreListedByB()
    {
        using var a = A.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Yrlib();
        var revision = (string)(await a.CreateOkAsync(Bodies.Yrlib(name)))["revisionId"]!;

        var updated = (string)(await a.UpdateOkAsync(name, Bodies.Update(revision).With("description", "\"two\"")))["revisionId"]!;
        await a.PublishOkAsync(name, updated, "v1");

        await BFollowsAAsync();
        using var versions = await b.ListVersionsAsync(name);
        Assert.Equal(2, (int)(await Wire.OkAsync(versions))["pageInfo"]!["total"]!);
        Assert.Equal("two", (string?)(await b.GetOkAsync(name, "v1"))["description"]);
    }

    [Fact]
    public async Task RacingUpdatesThroughAAndB_WithOneRevisionId_HaveExactlyOneWinner()
    {
        using var a = A.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await a.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await BFollowsAAsync();

        var responses = await A.Store.OneWriteAsync(() => Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            (i % 2 == 0 ? a : b).UpdateAsync(name, Bodies.Update(revision, "faas").With("description", $"\"writer {i}\"")))));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134);
    }

    /// <summary>Waits until B's catalog has applied the store's revision as it is after A's writes: the catalog's own wait,
    /// which fails (503's exception) when its bound passes first.</summary>
    private async Task BFollowsAAsync()
    {
        var revision = await A.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        await B.Services.GetRequiredService<FunctionCatalog>().WaitForAsync(revision, TestContext.Current.CancellationToken);
    }
}