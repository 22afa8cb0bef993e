using System.Globalization;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary><c>GET /serverless/v1/watch?kind=aliases</c>: an alias's create, update, rollback and delete arrive in revision
/// order, each put with the object a get of the alias answers and the delete with its key parts; a function's delete-all
/// sends the deletes of its aliases; a list of aliases then a watch from its <c>X-Meta-Revision</c> sees every later change
/// once; only the caller's tenant and the named function.</summary>
public sealed class WatchAliasTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task CreateUpdateRollbackDelete_ArriveInRevisionOrder_WithTheGetAnswerAsData_AndResumeFromAnId()
    {
        using var api = factory.CreateApi("watch" + Names.Hex());
        using var other = factory.CreateApi("other" + Names.Hex());
        var name = await api.FunctionWithVersionsAsync("v1", "v2");
        var neighbour = await api.FunctionWithVersionsAsync("v1");
        var otherRevision = (string)(await other.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await other.PublishOkAsync(name, otherRevision, "v1");
        using var stream = await WatchClient.OpenAsync(api.Client, "?kind=aliases&name=" + Uri.EscapeDataString(name));

        // Not for this watch: another function's alias, and an alias of the same name in another tenant.
        await api.CreateAliasOkAsync(neighbour, """{"name":"prod","functionVersion":"v1"}""");
        await other.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");
        var created = await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1","description":"first"}""");
        var afterCreate = await api.GetAliasOkAsync(name, "prod");
        await api.UpdateAliasOkAsync(name, "prod", $$$"""{"revisionId":"{{{created["revisionId"]}}}","functionVersion":"v2","routingConfig":{"v1":30,"v2":70}}""");
        var afterUpdate = await api.GetAliasOkAsync(name, "prod");
        using (var rolledBack = await api.RollbackAsync(name, "prod"))
        {
            await Wire.OkAsync(rolledBack);
        }

        var afterRollback = await api.GetAliasOkAsync(name, "prod");
        using (var deleted = await api.DeleteAliasAsync(name, "prod"))
        {
            await Wire.OkAsync(deleted);
        }

        var events = new List<ServerEvent>();
        for (var i = 0; i < 4; i++)
        {
            events.Add((await stream.NextAsync())!);
        }

        Assert.Equal(["put", "put", "put", "delete"], events.Select(e => e.Event));
        var ids = events.Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);
        AssertSame(afterCreate, events[0].Json);
        AssertSame(afterUpdate, events[1].Json);
        AssertSame(afterRollback, events[2].Json);
        AssertSame(new JsonObject { ["functionName"] = name, ["name"] = "prod" }, events[3].Json);
        Assert.Equal(100, (int)afterRollback["routingConfig"]!["v1"]!);
        using var resumed = await WatchClient.OpenAsync(api.Client, "?kind=aliases&name=" + Uri.EscapeDataString(name), ids[1].ToString(CultureInfo.InvariantCulture));
        Assert.Equal(new[] { ids[2], ids[3] }, new[] { (await resumed.NextAsync())!.Id!.Value, (await resumed.NextAsync())!.Id!.Value });
    }

    [Fact]
    public async Task FunctionDeleteAll_ThatRemovesItsAliases_SendsTheirDeletes_InOneRevision()
    {
        using var api = factory.CreateApi("watch" + Names.Hex());
        var name = await api.FunctionWithVersionsAsync("v1");
        await api.CreateAliasOkAsync(name, """{"name":"a1","functionVersion":"v1"}""");
        await api.CreateAliasOkAsync(name, """{"name":"a2","functionVersion":"v1"}""");
        using var stream = await WatchClient.OpenAsync(api.Client, "?kind=aliases");

        using (var deleted = await api.DeleteAsync(name))
        {
            await Wire.OkAsync(deleted);
        }

        var first = (await stream.NextAsync())!;
        var second = (await stream.NextAsync())!;
        Assert.Equal(("delete", "delete"), (first.Event, second.Event));
        Assert.Equal(["a1", "a2"], new[] { (string)first.Json["name"]!, (string)second.Json["name"]! }.Order());
        Assert.All(new[] { first, second }, e => Assert.Equal(name, (string?)e.Json["functionName"]));
        // One transaction: the id comes with the last of its changes only.
        Assert.Null(first.Id);
        Assert.NotNull(second.Id);
    }

    [Fact]
    public async Task ListAliases_ThenWatchFromItsRevision_UnderConcurrentUpdates_SeesEachLaterChangeOnce()
    {
        // A server of its own: its alias watch starts with this test, so the watch from the list's revision is replayed
        // from the store before it joins the server's ring.
        await using var own = new MetaServiceFactory();
        using var api = own.CreateApi("watch" + Names.Hex());
        var name = await api.FunctionWithVersionsAsync("v1");
        string[] aliases = ["a1", "a2", "a3"];
        var revisions = new Dictionary<string, string>();
        foreach (var alias in aliases)
        {
            revisions[alias] = (string)(await api.CreateAliasOkAsync(name, $$"""{"name":"{{alias}}","functionVersion":"v1","description":"0"}"""))["revisionId"]!;
        }

        const int Rounds = 8;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = aliases.Select(alias => Task.Run(async () =>
        {
            var revision = revisions[alias];
            for (var round = 1; round <= Rounds; round++)
            {
                revision = (string)(await api.UpdateAliasOkAsync(name, alias, $$"""{"revisionId":"{{revision}}","description":"{{round}}"}"""))["revisionId"]!;
                if (round == Rounds / 2)
                {
                    halfway.TrySetResult();
                }
            }
        })).ToList();

        await halfway.Task.WaitAsync(TestContext.Current.CancellationToken);
        using var list = await api.SendAsync(HttpMethod.Get, api.AliasesPath(name), null);
        var listed = (await Wire.OkAsync(list))["result"]!["aliases"]!.AsArray().ToDictionary(a => (string)a!["name"]!, a => Round(a!));
        Assert.True(list.Headers.TryGetValues("X-Meta-Revision", out var header), "the alias list answers no X-Meta-Revision");
        var since = long.Parse(header.Single(), CultureInfo.InvariantCulture);
        using var stream = await WatchClient.OpenAsync(api.Client, $"?kind=aliases&name={Uri.EscapeDataString(name)}&since={since}");
        await Task.WhenAll(writers);

        var seen = aliases.ToDictionary(a => a, _ => new List<int>());
        var ids = new List<long>();
        for (var i = 0; i < aliases.Length * Rounds * 2 && seen.Values.Any(s => s.LastOrDefault() != Rounds); i++)
        {
            var next = (await stream.NextAsync())!;
            Assert.Equal("put", next.Event);
            ids.Add(next.Id!.Value);
            seen[(string)next.Json["name"]!].Add(Round(next.Json));
        }

        Assert.All(ids, id => Assert.True(id > since));
        Assert.Equal(ids.Order().Distinct(), ids);
        foreach (var alias in aliases)
        {
            Assert.Equal(Enumerable.Range(listed[alias] + 1, Rounds - listed[alias]), seen[alias]);
        }
    }

    private static int Round(JsonNode alias) => int.Parse((string)alias["description"]!, CultureInfo.InvariantCulture);

    private static void AssertSame(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
}