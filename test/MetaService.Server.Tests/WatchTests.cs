using System.Globalization;
using System.Net;

using MetaService.Core;
using MetaService.Core.Storage;

namespace MetaService.Server.Tests;

/// <summary><c>GET /serverless/v1/watch</c> as Server-Sent Events: a list then a watch from its <c>X-Meta-Revision</c> sees
/// every change once under concurrent writes; <c>Last-Event-ID</c> resumes; the caller's tenant and the name filter;
/// deletes carry the key parts; positions before the server's ring are replayed from the store, positions the store no
/// longer keeps answer 410; bad input answers 400.</summary>
public sealed class WatchTests(MetaServiceFactory factory) : IClassFixture<MetaServiceFactory>
{
    [Fact]
    public async Task ListThenWatch_FromItsRevision_UnderConcurrentUpdates_SeesEveryChangeExactlyOnce()
    {
        var tenant = "watch" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var names = Enumerable.Range(0, 4).Select(_ => Names.Faas()).ToList();
        foreach (var name in names)
        {
            await api.CreateOkAsync(Bodies.Faas(name));
        }

        const int Rounds = 15;
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = names.Select(name => Task.Run(async () =>
        {
            var revision = (string)(await api.GetOkAsync(name))["revisionId"]!;
            for (var round = 1; round <= Rounds; round++)
            {
                revision = await WatchWrites.DescribeAsync(api, name, revision, round);
                if (round == Rounds / 2)
                {
                    halfway.TrySetResult();
                }
            }
        })).ToList();

        await halfway.Task.WaitAsync(TestContext.Current.CancellationToken);
        using var list = await api.ListAsync("?pageSize=1000");
        var listed = (await Wire.OkAsync(list))["result"]!["functions"]!.AsArray().ToDictionary(r => (string)r!["name"]!, r => WatchWrites.Round(r!));
        var since = long.Parse(list.Headers.GetValues("X-Meta-Revision").Single(), CultureInfo.InvariantCulture);
        using var stream = await WatchClient.OpenAsync(api.Client, $"?since={since}");
        await Task.WhenAll(writers);

        var seen = await WatchWrites.ReadRoundsAsync(stream, names, Rounds);

        Assert.All(seen.Ids, id => Assert.True(id > since));
        Assert.Equal(seen.Ids.Order(), seen.Ids);
        Assert.Equal(seen.Ids.Distinct().Count(), seen.Ids.Count);
        foreach (var name in names)
        {
            Assert.Equal(Enumerable.Range(listed[name] + 1, Rounds - listed[name]), seen.Rounds[name]);
        }
    }

    [Fact]
    public async Task Resume_WithLastEventId_AfterADisconnect_GetsEachLaterChangeOnce()
    {
        var tenant = "watch" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        long last;
        using (var first = await WatchClient.OpenAsync(api.Client, "?name=" + name))
        {
            revision = await WatchWrites.DescribeAsync(api, name, revision, 1);
            revision = await WatchWrites.DescribeAsync(api, name, revision, 2);
            Assert.Equal(1, WatchWrites.Round((await first.NextAsync())!.Json));
            var second = (await first.NextAsync())!;
            Assert.Equal(2, WatchWrites.Round(second.Json));
            last = second.Id!.Value;
        }

        revision = await WatchWrites.DescribeAsync(api, name, revision, 3);
        await WatchWrites.DescribeAsync(api, name, revision, 4);
        using var resumed = await WatchClient.OpenAsync(api.Client, "?name=" + name, last.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(3, WatchWrites.Round((await resumed.NextAsync())!.Json));
        Assert.Equal(4, WatchWrites.Round((await resumed.NextAsync())!.Json));
    }

    [Fact]
    public async Task Watch_SeesOnlyItsTenant_AndOnlyTheNamedFunction_AndADeleteCarriesTheKeyParts()
    {
        var tenant = "watch" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        using var other = factory.CreateApi("other" + Names.Hex());
        var name = Names.Faas();
        var neighbour = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(neighbour));
        using var tenantStream = await WatchClient.OpenAsync(api.Client, "");
        using var named = await WatchClient.OpenAsync(api.Client, "?kind=functions&name=" + name);

        await other.CreateOkAsync(Bodies.Faas(name));
        await api.CreateOkAsync(Bodies.Faas(name));
        using (await api.DeleteAsync(neighbour))
        {
        }

        using (await api.DeleteAsync(name))
        {
        }

        var created = (await tenantStream.NextAsync())!;
        Assert.Equal(("put", name, tenant), (created.Event, (string?)created.Json["name"], (string?)created.Json["tenantId"]));
        var deleted = (await tenantStream.NextAsync())!;
        Assert.Equal(("delete", neighbour, "latest"), (deleted.Event, (string?)deleted.Json["name"], (string?)deleted.Json["version"]));
        Assert.Equal(("put", name), ((await named.NextAsync())!.Event, (string?)(await tenantStream.NextAsync())!.Json["name"]));
        var namedDelete = (await named.NextAsync())!;
        Assert.Equal(("delete", name), (namedDelete.Event, (string?)namedDelete.Json["name"]));
    }

    [Fact]
    public async Task Watch_SeesOnlyItsProduct_AsAListWithTheSameHeadersDoes_LiveAndReplayed()
    {
        var tenant = "product" + Names.Hex();
        using var none = factory.CreateApi(tenant);
        using var first = factory.CreateApi(tenant, "p1");
        using var second = factory.CreateApi(tenant, "p2");
        using var list = await first.ListAsync("");
        var since = list.Headers.GetValues("X-Meta-Revision").Single();
        using var live = await WatchClient.OpenAsync(first.Client, "");
        using var noProduct = await WatchClient.OpenAsync(none.Client, "");
        var (inFirst, inSecond, inNone) = (Names.Faas(), Names.Faas(), Names.Faas());

        await second.CreateOkAsync(Bodies.Faas(inSecond));
        await none.CreateOkAsync(Bodies.Faas(inNone));
        await first.CreateOkAsync(Bodies.Faas(inFirst));
        using (await second.DeleteAsync(inSecond))
        {
        }

        using (await first.DeleteAsync(inFirst))
        {
        }

        using var replayed = await WatchClient.OpenAsync(first.Client, "?since=" + since);
        // Every other product's change came before these: one leaked would be read first.
        foreach (var stream in new[] { live, replayed })
        {
            var created = (await stream.NextAsync())!;
            Assert.Equal(("put", inFirst, "p1"), (created.Event, (string?)created.Json["name"], (string?)created.Json["productId"]));
            var deleted = (await stream.NextAsync())!;
            Assert.Equal(("delete", inFirst), (deleted.Event, (string?)deleted.Json["name"]));
        }

        var marker = Names.Faas();
        await none.CreateOkAsync(Bodies.Faas(marker));
        Assert.Equal([inNone, marker], [(string?)(await noProduct.NextAsync())!.Json["name"], (string?)(await noProduct.NextAsync())!.Json["name"]]);
    }

    [Theory]
    [InlineData("?kind=bogus", null, "kind must be one of functions, reserve-instance, podpools, aliases")]
    [InlineData("?kind=functions&kind=podpools", null, "kind must be one of functions, reserve-instance, podpools, aliases")]
    [InlineData("?since=abc", null, "since must be a store revision: a whole number from 0 (an event's id, or a list's X-Meta-Revision)")]
    [InlineData("?since=-1", null, "since must be a store revision")]
    [InlineData("?since=1.5", null, "since must be a store revision")]
    [InlineData("?since=999999999999", null, "since (or Last-Event-ID) 999999999999 is ahead of the store's revision: give a revision a list or an event answered")]
    [InlineData("?name=a%2Fb", null, "name must be one function name (or pool id) of 1 to 256 letters, digits and @ . _ : -")]
    [InlineData("?name=a&name=b", null, "name must be one function name (or pool id)")]
    [InlineData("?timeoutSeconds=0", null, "timeoutSeconds must be a whole number of seconds from 1 to 86400")]
    [InlineData("?timeoutSeconds=86401", null, "timeoutSeconds must be a whole number of seconds from 1 to 86400")]
    [InlineData("?timeoutSeconds=x", null, "timeoutSeconds must be")]
    [InlineData("", "x1", "Last-Event-ID must be a store revision: a whole number from 0 (an event's id, or a list's X-Meta-Revision)")]
    [InlineData("?since=1", "999999999999", "since (or Last-Event-ID) 999999999999 is ahead")]
    public async Task MalformedKindNameSinceOrLastEventId_Answers400_AndWritesNothing(string query, string? lastEventId, string message)
    {
        using var api = factory.CreateApi();

        using var response = await factory.Store.NothingWrittenAsync(() => WatchClient.SendAsync(api.Client, query, lastEventId));

        Assert.StartsWith(message, await Wire.AssertErrorAsync(response, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Since_TheStoresRevision_IsWatchedFrom_AndTheNextIsRefusedAsAhead()
    {
        await using var own = new MetaServiceFactory();
        using var api = own.CreateApi();
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        // The store's revision moves past the functions watch's last change.
        using (var pool = await api.SendAsync(HttpMethod.Post, "/serverless/v1/podpools", $$"""{"pools":[{"id":"p{{Names.Hex()}}","size":1,"max_size":2}]}"""))
        {
            await Wire.OkAsync(pool);
        }

        var now = await own.Store.GetRevisionAsync(TestContext.Current.CancellationToken);

        using var ahead = await own.Store.NothingWrittenAsync(() => WatchClient.SendAsync(api.Client, "?since=" + (now + 1)));
        using var stream = await WatchClient.OpenAsync(api.Client, "?since=" + now);
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));

        Assert.StartsWith($"since (or Last-Event-ID) {now + 1} is ahead", await Wire.AssertErrorAsync(ahead, HttpStatusCode.BadRequest, 4104), StringComparison.Ordinal);
        Assert.Equal(name, (string?)(await stream.NextAsync())!.Json["name"]);
    }

    [Fact]
    public async Task EveryListRoute_AnswersTheRevisionItWasReadAt()
    {
        using var api = factory.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        var label = $$"""{"funcName":"{{name}}","version":"v1","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":2,"minInstance":1}]}""";
        using (var created = await api.SendAsync(HttpMethod.Post, "/serverless/v1/functions/reserve-instance", label))
        {
            await Wire.OkAsync(created);
        }

        foreach (var path in new[]
        {
            "/serverless/v1/functions", "/serverless/v1/functions?limit=5", $"/serverless/v1/functions/{name}/versions",
            $"/serverless/v1/functions/{name}/versions?limit=5", $"/serverless/v1/functions/reserve-instance?funcName={name}&version=v1",
            "/serverless/v1/podpools",
        })
        {
            using var response = await api.SendAsync(HttpMethod.Get, path, null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TryGetValues("X-Meta-Revision", out var values), path);
            Assert.True(long.Parse(values.Single(), CultureInfo.InvariantCulture) > 0, path);
        }
    }

    [Fact]
    public async Task ReserveInstanceAndPodPoolWatches_SendTheirChanges()
    {
        var tenant = "watch" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await api.PublishOkAsync(name, revision, "v1", "faas");
        var id = "p" + Names.Hex();
        using var labels = await WatchClient.OpenAsync(api.Client, "?kind=reserve-instance");
        using var pools = await WatchClient.OpenAsync(api.Client, "?kind=podpools&name=" + id);

        var label = $$"""{"funcName":"{{name}}","version":"v1","instanceLabel":"l1","instanceConfigInfos":[{"clusterId":"cluster001","maxInstance":2,"minInstance":1}]}""";
        using (var created = await api.SendAsync(HttpMethod.Post, "/serverless/v1/functions/reserve-instance", label))
        {
            await Wire.OkAsync(created);
        }

        using (var created = await api.SendAsync(HttpMethod.Post, "/serverless/v1/podpools", $$"""{"pools":[{"id":"{{id}}","size":1,"max_size":4}]}"""))
        {
            await Wire.OkAsync(created);
        }

        var put = (await labels.NextAsync())!.Json;
        Assert.Equal((name, "v1", "l1", 2L), ((string?)put["funcName"], (string?)put["version"], (string?)put["instanceLabel"], (long)put["instanceConfigInfos"]![0]!["maxInstance"]!));
        var pool = (await pools.NextAsync())!;
        Assert.Equal(("put", id, 4L), (pool.Event, (string?)pool.Json["id"], (long)pool.Json["max_size"]!));
    }

    [Fact]
    public async Task Since_BeforeTheServersRing_IsReplayedFromTheStore_ThenFollowedLive()
    {
        // The watch starts with the server: its ring holds what came after the list unless it has dropped it. A ring of
        // 4 KiB holds a change or two of a function.
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:RingBytes"] = "4096";
        using var api = own.CreateApi();
        var (name, revision, since) = await WatchWrites.CreatedAndListedAsync(api);
        revision = await WatchWrites.DescribeRoundsAsync(api, name, revision, 20);

        using var stream = await WatchClient.OpenAsync(api.Client, "?since=" + since);
        await WatchWrites.DescribeAsync(api, name, revision, 21);

        var seen = await WatchWrites.ReadRoundsAsync(stream, [name], 21);
        Assert.Equal(Enumerable.Range(1, 21), seen.Rounds[name]);
    }

    [Fact]
    public async Task AChangeLargerThanTheRing_ReachesAWatcherWaitingForIt_FromTheStore()
    {
        // A function whose change (its record, and the same masked for viewers) weighs more than the 4 KiB ring: the
        // ring drops it as it is published. A watcher that was waiting for it has not fallen behind; it reads it from
        // the store.
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:RingBytes"] = "4096";
        using var api = own.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name).With("description", $"\"{new string('x', 1000)}\"")))["revisionId"]!;
        using var stream = await WatchClient.OpenAsync(api.Client, "?name=" + name);

        await WatchWrites.DescribeRoundsAsync(api, name, revision, 3, " " + new string('x', 1000));

        var seen = await WatchWrites.ReadRoundsAsync(stream, [name], 3);
        Assert.Equal([1, 2, 3], seen.Rounds[name]);
    }

    [Fact]
    public async Task Since_AListsRevision_IsWatchedFrom_ThoughTheStoreWasCompactedPastIt_WhileTheFunctionsWereQuiet()
    {
        await using var own = new MetaServiceFactory();
        StoreUnderTest.AllowCompaction(own);
        using var api = own.CreateApi();
        await api.CreateOkAsync(Bodies.Faas(Names.Faas()));
        using var list = await api.ListAsync("");
        var since = QuietFunctions.Revision(list);
        await QuietFunctions.CompactPastAsync(own, api, since);
        var name = Names.Faas();

        using var stream = await WatchClient.OpenAsync(api.Client, "?since=" + since);
        await api.CreateOkAsync(Bodies.Faas(name));

        var created = (await stream.NextAsync())!;
        Assert.Equal(("put", name), (created.Event, (string?)created.Json["name"]));
    }

    [Fact]
    public async Task AChangeWhoseRecordCannotBeRead_IsLeftOut_AndTheChangesAfterItAreSent()
    {
        var tenant = "watch" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        using var stream = await WatchClient.OpenAsync(api.Client, "");
        var broken = $"/repo/FunctionVersion/yrk/{tenant}//0-svc-broken/$latest/";
        await factory.Store.TxnAsync([], [new Core.Storage.WriteOp.Put(broken, """{"FunctionVersion":{"CPU":"three hundred"}}"""u8.ToArray())], TestContext.Current.CancellationToken);
        var name = Names.Faas();

        await api.CreateOkAsync(Bodies.Faas(name));

        var next = (await stream.NextAsync())!;
        Assert.Equal(("put", name), (next.Event, (string?)next.Json["name"]));
    }

    [Fact]
    public async Task Since_NeitherTheRingHoldsNorTheStoreKeeps_Answers410()
    {
        await using var own = new MetaServiceFactory();
        QuietFunctions.ForgetSoon(own);
        using var api = own.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        using var list = await api.ListAsync("");
        var since = list.Headers.GetValues("X-Meta-Revision").Single();
        await QuietFunctions.ForgetAsync(own, api, name, revision);

        using var response = await WatchClient.SendAsync(api.Client, "?since=" + since);

        Assert.Equal($"the changes after revision {since} are no longer kept; list again and watch from the list's X-Meta-Revision", await Wire.AssertErrorAsync(response, HttpStatusCode.Gone, 410));
        // Counted as a refusal with its code, as every error answer is (at least once: OpenTelemetry merges the series of
        // every server alive in the process, and other tests' servers answer 410 too).
        await Observability.Scrape.UntilAsync(api.Client, 1, "metaservice_refusals_total", "code=\"410\"");
    }

    [Fact]
    public async Task AName_GivenAsItsUrn_WatchesThatFunction_AndItsAliases()
    {
        var tenant = "urn" + Names.Hex();
        using var api = factory.CreateApi(tenant);
        var name = await api.FunctionWithVersionsAsync("v1");
        var urn = Uri.EscapeDataString(Formats.FunctionUrn(name, tenant));
        using var functions = await WatchClient.OpenAsync(api.Client, "?kind=functions&name=" + urn);
        using var aliases = await WatchClient.OpenAsync(api.Client, "?kind=aliases&name=" + urn);

        var revision = (string)(await api.GetOkAsync(name))["revisionId"]!;
        await api.UpdateOkAsync(name, Bodies.Update(revision));
        await api.CreateAliasOkAsync(name, """{"name":"prod","functionVersion":"v1"}""");

        var function = (await functions.NextAsync())!;
        var alias = (await aliases.NextAsync())!;
        Assert.Equal(("put", name, "latest"), (function.Event, (string?)function.Json["name"], (string?)function.Json["versionNumber"]));
        Assert.Equal(("put", "prod", "v1"), (alias.Event, (string?)alias.Json["name"], (string?)alias.Json["functionVersion"]));
    }

    [Fact]
    public async Task MoreChangesThanOneReadTakes_AllArrive_WithoutWaitingForAnotherChangeOrAHeartbeat()
    {
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:HeartbeatSeconds"] = "3600";
        using var api = own.CreateApi();
        var name = Names.Faas();
        await api.CreateOkAsync(Bodies.Faas(name));
        var value = (await own.Store.GetAsync(PlatformKeys.Record(Core.Tenant.Default, name, FunctionKinds.DraftVersion(FunctionKinds.Faas)), TestContext.Current.CancellationToken))!.Value;
        var since = await own.Store.GetRevisionAsync(TestContext.Current.CancellationToken);
        // One change per revision, more than a watch reads from the ring at once (256).
        var names = Enumerable.Range(0, 300).Select(_ => Names.Faas()).ToList();
        foreach (var each in names)
        {
            await own.Store.TxnAsync([], [new WriteOp.Put(PlatformKeys.Record(Core.Tenant.Default, each, FunctionKinds.DraftVersion(FunctionKinds.Faas)), value)], TestContext.Current.CancellationToken);
        }

        using var stream = await WatchClient.OpenAsync(api.Client, "?since=" + since.ToString(CultureInfo.InvariantCulture));
        var ids = new List<long>();
        for (var i = 0; i < names.Count; i++)
        {
            ids.Add((await stream.NextAsync())!.Id!.Value);
        }

        Assert.Equal(Enumerable.Range(1, names.Count).Select(i => since + i), ids);
    }

    [Fact]
    public async Task ASlowReader_FallsBehindTheRing_AndIsEndedWithAnErrorEvent()
    {
        var last = (await WatchWrites.FallenBehindAsync())[^1];

        Assert.Equal("error", last.Event);
        Assert.Equal(410, (int)last.Json["code"]!);
        var message = (string)last.Json["message"]!;
        Assert.StartsWith("this watch fell behind: changes after revision ", message, StringComparison.Ordinal);
        Assert.EndsWith(" are no longer held for it (it read more slowly than they came, or the server's watch restarted); resume with Last-Event-ID, or list again and watch from the list's X-Meta-Revision", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutSeconds_EndsTheStream_AfterTheChangesBeforeIt()
    {
        using var api = factory.CreateApi("watch" + Names.Hex());
        var name = Names.Faas();
        using var list = await api.ListAsync("");
        var since = list.Headers.GetValues("X-Meta-Revision").Single();
        await api.CreateOkAsync(Bodies.Faas(name));
        using var stream = await WatchClient.OpenAsync(api.Client, $"?since={since}&timeoutSeconds=1");

        var created = await stream.NextAsync();
        var end = await stream.NextAsync();

        Assert.Equal(name, (string?)created!.Json["name"]);
        Assert.Null(end);
    }

    [Fact]
    public async Task AWatch_IsAnUncachedUnbufferedStream_ThatOpensBySayingWhereItStarts()
    {
        using var api = factory.CreateApi("watch" + Names.Hex());
        using var list = await api.ListAsync("");
        var since = list.Headers.GetValues("X-Meta-Revision").Single();

        using var response = await WatchClient.SendAsync(api.Client, $"?since={since}&timeoutSeconds=1");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(["no"], response.Headers.GetValues("X-Accel-Buffering"));
        Assert.StartsWith($": watching functions after revision {since}\nretry: 1000\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutSeconds_OfADay_TheMost_IsTaken()
    {
        using var api = factory.CreateApi("watch" + Names.Hex());

        using var stream = await WatchClient.OpenAsync(api.Client, "?timeoutSeconds=86400");

        Assert.True(await stream.CommentAfterAsync(0));
    }

    [Fact]
    public async Task AnIdleWatch_GetsHeartbeatComments()
    {
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:HeartbeatSeconds"] = "0.1";
        using var api = own.CreateApi();
        using var stream = await WatchClient.OpenAsync(api.Client, "");

        Assert.True(await stream.CommentAfterAsync(1));
    }
}

/// <summary>Writes that number themselves (description <c>"{round} …"</c>) and a reader of the numbers back.</summary>
public static class WatchWrites
{
    /// <summary>Updates the function's description to name <paramref name="round"/> (then <paramref name="padding"/>, to
    /// weigh more); the new revisionId.</summary>
    public static async Task<string> DescribeAsync(Api api, string name, string revision, int round, string padding = "") =>
        (string)(await api.UpdateOkAsync(name, Bodies.Update(revision, "faas").With("description", $"\"{round}{padding}\"")))["revisionId"]!;

    /// <summary>A watcher of a server of its own that reads nothing while 200 changes of more than 500 bytes come (well past
    /// what the connection buffers, 64 KiB, and its ring, 8 KiB, hold), then reads everything it was sent: its events, at
    /// most 400.</summary>
    public static async Task<List<ServerEvent>> FallenBehindAsync()
    {
        await using var own = new MetaServiceFactory();
        own.Settings["Watch:RingBytes"] = "8192";
        own.Settings["Watch:WriteTimeoutSeconds"] = "600";
        using var api = own.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        using var stream = await WatchClient.OpenAsync(api.Client, "");
        await DescribeRoundsAsync(api, name, revision, 200, " " + new string('x', 500));

        var events = new List<ServerEvent>();
        for (var i = 0; i < 400 && await stream.NextAsync() is { } next; i++)
        {
            events.Add(next);
        }

        return events;
    }

    /// <summary>Rounds 1 to <paramref name="rounds"/> of <see cref="DescribeAsync"/>, one update each; the last revisionId.</summary>
    public static async Task<string> DescribeRoundsAsync(Api api, string name, string revision, int rounds, string padding = "")
    {
        for (var round = 1; round <= rounds; round++)
        {
            revision = await DescribeAsync(api, name, revision, round, padding);
        }

        return revision;
    }

    /// <summary>Creates a function, then lists: its name, its revisionId, and the list's <c>X-Meta-Revision</c> (where a
    /// watch of what comes after begins).</summary>
    public static async Task<(string Name, string Revision, string Since)> CreatedAndListedAsync(Api api)
    {
        var name = Names.Faas();
        var revision = (string)(await api.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        using var list = await api.ListAsync("");
        return (name, revision, list.Headers.GetValues("X-Meta-Revision").Single());
    }

    /// <summary>The round a function's description names; 0 when it has none.</summary>
    public static int Round(System.Text.Json.Nodes.JsonNode function)
    {
        var description = (string?)function["description"] ?? "";
        return description.Length == 0 ? 0 : int.Parse(description.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Reads put events until every function in <paramref name="names"/> has reached round <paramref name="rounds"/>
    /// (at most a bounded number of events): the rounds seen per function, in order, and every id.</summary>
    public static async Task<(Dictionary<string, List<int>> Rounds, List<long> Ids)> ReadRoundsAsync(WatchClient stream, IReadOnlyList<string> names, int rounds)
    {
        var seen = names.ToDictionary(n => n, _ => new List<int>());
        var ids = new List<long>();
        for (var i = 0; i < names.Count * rounds * 4 && seen.Values.Any(s => s.LastOrDefault() != rounds); i++)
        {
            var next = await stream.NextAsync();
            Assert.NotNull(next);
            Assert.True(next.Event == "put", $"expected a put event, got {next.Event}: {next.Data}");
            if (next.Id is { } id)
            {
                ids.Add(id);
            }

            if (seen.TryGetValue((string)next.Json["name"]!, out var list))
            {
                list.Add(Round(next.Json));
            }
        }

        return (seen, ids);
    }
}