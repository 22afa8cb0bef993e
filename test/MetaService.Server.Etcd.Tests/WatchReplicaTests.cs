using System.Globalization;

namespace MetaService.Server.Tests;

/// <summary>Two servers on one etcd: a watch on B sees the writes made through A, in revision order, none skipped or
/// repeated, and a list on B then a watch on B from its revision sees each of A's later writes once; the same for alias
/// writes through A, which a watch of aliases on B receives as A's gets answer them.</summary>
public sealed class WatchReplicaTests() : TwoReplicas(new())
{
    [Fact]
    public async Task WatchOnB_OfWritesThroughA_SeesEveryChangeOnce_InRevisionOrder()
    {
        var tenant = "watch" + Names.Hex();
        using var a = A.CreateApi(tenant);
        using var b = B.CreateApi(tenant);
        var names = Enumerable.Range(0, 3).Select(_ => Names.Faas()).ToList();
        using var stream = await WatchClient.OpenAsync(b.Client, "");
        const int Rounds = 12;

        await Task.WhenAll(names.Select(async name =>
        {
            var revision = (string)(await a.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
            for (var round = 1; round <= Rounds; round++)
            {
                revision = await WatchWrites.DescribeAsync(a, name, revision, round);
            }
        }));

        var seen = await WatchWrites.ReadRoundsAsync(stream, names, Rounds);
        Assert.Equal(seen.Ids.Order(), seen.Ids);
        Assert.Equal(seen.Ids.Distinct().Count(), seen.Ids.Count);
        foreach (var name in names)
        {
            Assert.Equal(Enumerable.Range(0, Rounds + 1), seen.Rounds[name]);
        }
    }

    [Fact]
    public async Task AliasWatchOnB_OfAliasWritesThroughA_SeesEachOnce_InRevisionOrder_AsAsGetsAnswer()
    {
        var tenant = "watch" + Names.Hex();
        using var a = A.CreateApi(tenant);
        using var b = B.CreateApi(tenant);
        var name = await a.FunctionWithVersionsAsync("v1", "v2");
        using var stream = await WatchClient.OpenAsync(b.Client, "?kind=aliases&name=" + Uri.EscapeDataString(name));

        var revision = (string)(await a.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}"""))["revisionId"]!;
        var answers = new List<System.Text.Json.Nodes.JsonNode> { await a.GetAliasOkAsync(name, "prod") };
        for (var round = 1; round <= 5; round++)
        {
            revision = (string)(await a.UpdateAliasOkAsync(name, "prod", $$"""{"revisionId":"{{revision}}","description":"{{round}}","functionVersion":"v{{1 + (round % 2)}}"}"""))["revisionId"]!;
            answers.Add(await a.GetAliasOkAsync(name, "prod"));
        }

        using (var deleted = await a.DeleteAliasAsync(name, "prod"))
        {
            await Wire.OkAsync(deleted);
        }

        var events = new List<ServerEvent>();
        for (var i = 0; i < answers.Count + 1; i++)
        {
            events.Add((await stream.NextAsync())!);
        }

        var ids = events.Select(e => e.Id!.Value).ToList();
        Assert.Equal(ids.Order().Distinct(), ids);
        Assert.Equal([.. Enumerable.Repeat("put", answers.Count), "delete"], events.Select(e => e.Event));
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(answers[i], events[i].Json), $"event {i}: expected {answers[i].ToJsonString()}, got {events[i].Data}");
        }

        Assert.Equal(("prod", name), ((string?)events[^1].Json["name"], (string?)events[^1].Json["functionName"]));
    }

    [Fact]
    public async Task ListOnB_ThenWatchOnB_FromItsRevision_SeesEachLaterWriteThroughAOnce()
    {
        var tenant = "watch" + Names.Hex();
        using var a = A.CreateApi(tenant);
        using var b = B.CreateApi(tenant);
        var name = Names.Faas();
        var revision = (string)(await a.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        revision = await WatchWrites.DescribeAsync(a, name, revision, 1);
        var listed = 0;
        string since = "";
        for (var attempt = 0; attempt < 200 && listed == 0; attempt++)
        {
            using var list = await b.ListAsync("?name=" + name);
            var rows = (await Wire.OkAsync(list))["result"]!["functions"]?.AsArray() ?? [];
            listed = rows.Count == 0 ? 0 : WatchWrites.Round(rows[0]!);
            since = list.Headers.GetValues("X-Meta-Revision").Single();
        }

        using var stream = await WatchClient.OpenAsync(b.Client, "?since=" + since);
        for (var round = 2; round <= 5; round++)
        {
            revision = await WatchWrites.DescribeAsync(a, name, revision, round);
        }

        var seen = await WatchWrites.ReadRoundsAsync(stream, [name], 5);
        Assert.Equal(1, listed);
        Assert.Equal([2, 3, 4, 5], seen.Rounds[name]);
        Assert.All(seen.Ids, id => Assert.True(id > long.Parse(since, CultureInfo.InvariantCulture)));
    }
}