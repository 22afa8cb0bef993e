using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>The server keeps rendered get answers in a cache bounded by <c>Server:AnswerCacheBytes</c>; whatever the
/// bound (none kept, a few, many), gets and lists answer exactly the stored records, and a list of many rows is
/// streamed whole.</summary>
public sealed class AnswerCacheTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("4096")]
    [InlineData("67108864")]
    public async Task GetsAndLists_AnswerTheStoredRecords_WhateverTheBound(string bytes)
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Server:AnswerCacheBytes"] = bytes;
        using var api = factory.CreateApi("cache-" + Names.Hex());
        var token = Names.Hex();
        var names = Enumerable.Range(0, 40).Select(i => $"0@svc@fn-{token}-{i:00}").ToList();
        foreach (var name in names)
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        // Gets fill the cache (or try to); an update then makes every kept answer of that function stale.
        var gets = new Dictionary<string, string>();
        foreach (var name in names)
        {
            gets[name] = (await api.GetOkAsync(name)).ToJsonString();
        }

        var changed = names[7];
        var update = Bodies.DocUpdateExample((string)JsonNode.Parse(gets[changed])!["revisionId"]!);
        update["description"] = "changed after it was read";
        await api.UpdateOkAsync(changed, update);
        gets[changed] = (await api.GetOkAsync(changed)).ToJsonString();

        // 40 rows of ~2 KB are sent in several parts; each row is its function's get answer.
        var rows = await api.ListRowsAsync($"?name={token}&pageSize=1000");
        Assert.Equal(names.Count, rows.Count);
        Assert.Equal(gets.Values.Order(StringComparer.Ordinal), rows.Select(r => r.ToJsonString()).Order(StringComparer.Ordinal));
        Assert.Equal("changed after it was read", (string?)rows.Single(r => (string?)r["name"] == changed)["description"]);
    }

    [Fact]
    public async Task NegativeBound_IsRefusedAtStart_NamingTheSetting()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Server:AnswerCacheBytes"] = "-1";

        var refused = Assert.ThrowsAny<Exception>(() => factory.CreateApi());

        Assert.Contains("Server:AnswerCacheBytes", refused.ToString(), StringComparison.Ordinal);
    }
}