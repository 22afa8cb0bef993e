using System.Diagnostics;
using System.Net;

namespace MetaService.Server.Tests;

/// <summary>Two servers on one etcd (one key prefix): what one writes, the other serves; a race between
/// them on one revisionId has one winner.</summary>
public sealed class ReplicaTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The view's bound on a write reaching it (Store:View:ReadYourWritesTimeout).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private readonly MetaServiceFactory _a = new();
    private MetaServiceFactory? _b;

    private MetaServiceFactory B => _b ?? throw new InvalidOperationException("not initialised");

    public ValueTask InitializeAsync()
    {
        _b = MetaServiceFactory.ReplicaOf(_a);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task CreateThroughA_IsServedByB_WithinTheBound()
    {
        using var a = _a.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Faas();
        await b.ListRowsAsync("");
        var clock = Stopwatch.StartNew();

        var created = await a.CreateOkAsync(Bodies.Faas(name));

        var seen = await PollAsync(async () =>
        {
            using var response = await b.GetAsync(name);
            return response.StatusCode == HttpStatusCode.OK ? (await Wire.JsonAsync(response))["function"] : null;
        });
        output.WriteLine($"a write through replica A was served by replica B {clock.Elapsed.TotalMilliseconds:0} ms after it was sent");
        Assert.NotNull(seen);
        Assert.Equal((string?)created["revisionId"], (string?)seen["revisionId"]);
    }

    [Fact]
    public async Task UpdateAndPublishThroughA_AreListedByB()
    {
        using var a = _a.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Yrlib();
        var revision = (string)(await a.CreateOkAsync(Bodies.Yrlib(name)))["revisionId"]!;

        var updated = (string)(await a.UpdateOkAsync(name, Bodies.Update(revision).With("description", "\"two\"")))["revisionId"]!;
        await a.PublishOkAsync(name, updated, "v1");

        var versions = await PollAsync(async () =>
        {
            using var response = await b.ListVersionsAsync(name);
            var body = await Wire.OkAsync(response);
            return (int)body["pageInfo"]!["total"]! == 2 ? body : null;
        });
        Assert.NotNull(versions);
        Assert.Equal("two", (string?)(await b.GetOkAsync(name, "v1"))["description"]);
    }

    [Fact]
    public async Task RacingUpdatesThroughAAndB_WithOneRevisionId_HaveExactlyOneWinner()
    {
        using var a = _a.CreateApi();
        using var b = B.CreateApi();
        var name = Names.Faas();
        var revision = (string)(await a.CreateOkAsync(Bodies.Faas(name)))["revisionId"]!;
        await PollAsync(async () =>
        {
            using var response = await b.GetAsync(name);
            return response.StatusCode == HttpStatusCode.OK ? response.StatusCode : (HttpStatusCode?)null;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            (i % 2 == 0 ? a : b).UpdateAsync(name, Bodies.Update(revision, "faas").With("description", $"\"writer {i}\""))));

        await Wire.AssertOneWinnerAsync(responses, HttpStatusCode.PreconditionFailed, 4134);
    }

    /// <summary>Polls <paramref name="probe"/> until it returns something, within <see cref="Bound"/>.</summary>
    private static async Task<T?> PollAsync<T>(Func<Task<T?>> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (clock.Elapsed > Bound)
            {
                return default;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}