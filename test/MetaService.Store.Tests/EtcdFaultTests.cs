using MetaService.Core.Storage;
using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>
/// How a store call fails when etcd does not answer: reads, and writes that certainly did not reach etcd, are retried
/// with a doubling backoff (50 ms, then up to 500 ms) until the request deadline; a write whose outcome is unknown is
/// not, and its fault says so; each fault names the call and the endpoints. The retries run on a
/// <see cref="VirtualClock"/>, so their number is the same on every run.
/// </summary>
[Collection(EtcdGroup.Name)]
public sealed class EtcdFaultTests(EtcdFixture etcd) : IDisposable
{
    /// <summary>Nothing listens on port 1: every connection is refused, so nothing reaches etcd.</summary>
    private const string Refused = "http://127.0.0.1:1";

    /// <summary>Attempts at 0, 0.05, 0.15, 0.35, 0.75, 1.25 and 1.75 s (the backoff doubles from 50 ms to its cap of
    /// 500 ms); the eighth would start at the deadline itself, so it is not made.</summary>
    private static readonly TimeSpan SevenAttempts = TimeSpan.FromMilliseconds(2250);

    /// <summary>Attempts at 0, 0.05 and 0.15 s; the fourth would start after the deadline.</summary>
    private static readonly TimeSpan ThreeAttempts = TimeSpan.FromMilliseconds(300);

    private const string OutcomeUnknown = "; the write may or may not have been applied: read it back before retrying";

    private readonly SilentMember _silent = new();

    /// <summary>Every call here ends by its request deadline, of seconds; this bound only turns a call that would hang
    /// into a failure of the test.</summary>
    private readonly CancellationTokenSource _bound = Bound();

    private CancellationToken Token => _bound.Token;

    [Fact]
    public async Task AReadOfAnEndpointThatRefuses_IsRetried_UntilTheDeadline()
    {
        await using var store = Open(Refused, SevenAttempts);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", Token));

        Assert.StartsWith($"etcd ({Refused}) failed get after 7 attempt(s) in 1.", fault.Message, StringComparison.Ordinal);
        Assert.Contains(" s: Unavailable: ", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OutcomeUnknown, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteToAnEndpointThatRefuses_CertainlyNotApplied_IsRetriedLikeARead()
    {
        await using var store = Open(Refused, SevenAttempts);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => PutAsync(store));

        Assert.StartsWith($"etcd ({Refused}) failed txn after 7 attempt(s)", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OutcomeUnknown, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWriteToAMemberThatDoesNotAnswer_IsNotRetried_AndItsFaultSaysTheOutcomeIsUnknown()
    {
        await using var store = Open(_silent.Url, SevenAttempts, attempt: TimeSpan.FromMilliseconds(200));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => PutAsync(store));

        Assert.StartsWith($"etcd ({_silent.Url}) failed txn after 1 attempt(s)", fault.Message, StringComparison.Ordinal);
        Assert.Contains(" s: DeadlineExceeded: ", fault.Message, StringComparison.Ordinal);
        Assert.EndsWith(OutcomeUnknown, fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("range")]
    [InlineData("keys")]
    [InlineData("revision")]
    [InlineData("history")]
    [InlineData("get-at")]
    public async Task AReadOfAMemberThatDoesNotAnswer_IsRetriedAfterEachAttemptTimeout_NamingTheCall(string call)
    {
        await using var store = Open(_silent.Url, ThreeAttempts, attempt: TimeSpan.FromMilliseconds(100));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => call switch
        {
            "get" => store.GetAsync("/x", Token),
            "range" => store.RangeAsync("/", cancellationToken: Token),
            "keys" => store.RangeKeysAsync("/", cancellationToken: Token),
            "history" => store.KeepsRevisionAsync(1, Token),
            "get-at" => store.GetAtAsync("/x", 1, Token),
            _ => store.GetRevisionAsync(Token),
        });

        Assert.StartsWith($"etcd ({_silent.Url}) failed {(call == "keys" ? "range" : call)} after 3 attempt(s)", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OutcomeUnknown, fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAttempt_EndsAtTheCallsDeadline_WhenThatComesBeforeTheAttemptTimeout()
    {
        await using var store = Open(_silent.Url, ThreeAttempts, attempt: TimeSpan.FromHours(1));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", Token));

        Assert.StartsWith($"etcd ({_silent.Url}) failed get after 3 attempt(s)", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberThatDoesNotAnswer_IsPassedOver_ForOneThatDoes()
    {
        var options = new EtcdStoreOptions
        {
            Endpoints = [_silent.Url, .. etcd.Cluster.ClientUrls],
            KeyPrefix = "pass-" + Guid.NewGuid().ToString("N")[..8],
            RequestTimeout = TimeSpan.FromSeconds(20),
            AttemptTimeout = TimeSpan.FromSeconds(1),
        };
        await using var store = new EtcdMetaStore(options, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);

        var reads = new List<KeyValue?>();
        for (var i = 0; i < 4; i++)
        {
            reads.Add(await store.GetAsync("/absent", Token));
        }

        Assert.Equal(4, reads.Count(r => r is null));
    }

    [Fact]
    public async Task AWatchOfAnEndpointThatRefuses_FailsAsAStoreFault()
    {
        await using var store = Open(Refused, SevenAttempts);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/", 1, Token))
            {
                Assert.Fail($"no change can come from an endpoint that refuses, got {change.Kv.Key}");
            }
        });

        Assert.StartsWith("the etcd watch failed: Unavailable: ", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASnapshotOfAMemberThatDoesNotAnswer_IsNotOpened_NamingTheRevisionRead()
    {
        var options = new EtcdStoreOptions { Endpoints = [_silent.Url], RequestTimeout = ThreeAttempts, AttemptTimeout = TimeSpan.FromMilliseconds(100) };

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => EtcdSnapshot.OpenAsync(options, new VirtualClock(), NullLogger.Instance, Token));

        Assert.StartsWith($"etcd ({_silent.Url}) failed revision after 3 attempt(s)", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OutcomeUnknown, fault.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _silent.Dispose();
        _bound.Dispose();
    }

    private static CancellationTokenSource Bound()
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(1));
        return bound;
    }

    private static EtcdMetaStore Open(string endpoint, TimeSpan request, TimeSpan? attempt = null) => new(
        new EtcdStoreOptions { Endpoints = [endpoint], RequestTimeout = request, AttemptTimeout = attempt ?? TimeSpan.FromSeconds(1) },
        new VirtualClock(),
        NullLogger<EtcdMetaStore>.Instance);

    private Task<TxnResult> PutAsync(EtcdMetaStore store) => store.TxnAsync([], [new WriteOp.Put("/x", [1])], Token);
}