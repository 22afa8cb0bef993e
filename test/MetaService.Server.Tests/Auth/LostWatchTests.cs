using System.Runtime.CompilerServices;

using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Tests.Observability;
using MetaService.Server.Tokens;
using MetaService.Tests.Fixtures;

using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Auth;

/// <summary>A token directory whose watch of the store fails: it drops every token it holds (each is then looked up in
/// the store, so a deletion made meanwhile is not missed), says so, and loads anew a second later on its clock; a stop
/// that the store's watch reports as a failure of its own ends it without a fault.</summary>
public sealed class LostWatchTests : IAsyncLifetime
{
    private readonly MetaServiceFactory _factory = new();
    private readonly LogCapture _capture = new();
    private ILoggerFactory _logs = null!;

    public ValueTask InitializeAsync()
    {
        _logs = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_capture));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _logs.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task ALostWatch_DropsTheHeldTokens_SaysWhy_AndLoadsAnewASecondLater()
    {
        var kept = StoredTokens.Of(TokenRecord.NewToken(), "alpha", Role.Viewer);
        var deleted = StoredTokens.Of(TokenRecord.NewToken(), "alpha", Role.Editor);
        var made = StoredTokens.Of(TokenRecord.NewToken(), "beta", Role.Admin);
        await StoredTokens.PutAsync(_factory.Store, kept);
        await StoredTokens.PutAsync(_factory.Store, deleted);
        var clock = new ManualClock();
        // Not the stop's cancellation: a deadline of the store's own, as an etcd call's.
        var store = new LosingWatchStore(_factory.Store, firstFault: new OperationCanceledException("the store's own deadline passed"));
        var directory = new TokenDirectory(store, clock, _logs.CreateLogger<TokenDirectory>());

        await directory.StartAsync(TestContext.Current.CancellationToken);
        await Polling.UntilAsync(() => Task.FromResult(clock.Pending == 1), "the directory waiting on its clock after the lost watch");
        var keptMeanwhile = await directory.FindAsync(kept.Id, TestContext.Current.CancellationToken);
        var keptHeld = directory.Holds(keptMeanwhile!);
        await _factory.Store.TxnAsync([], [new WriteOp.Delete(deleted.Key)], TestContext.Current.CancellationToken);
        var deletedMeanwhile = await directory.FindAsync(deleted.Id, TestContext.Current.CancellationToken);
        await StoredTokens.PutAsync(_factory.Store, made);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Polling.UntilAsync(async () => await directory.FindAsync(made.Id, TestContext.Current.CancellationToken) is { } found && directory.Holds(found), "the token made meanwhile held after the new load");
        await directory.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(kept.Hash, keptMeanwhile?.Hash);
        Assert.False(keptHeld);
        Assert.Null(deletedMeanwhile);
        Assert.Single(_capture.Lines, l => l.Contains("the token directory lost its watch of the store and loads anew: the store's own deadline passed", StringComparison.Ordinal));
        Assert.Equal(2, store.Watches);
        Assert.True(directory.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AStop_ThatTheWatchReportsAsItsOwnFailure_EndsTheDirectoryWithoutAFault()
    {
        var token = StoredTokens.Of(TokenRecord.NewToken(), "alpha", Role.Viewer);
        // etcd's client reports a cancelled call as an RpcException (Cancelled), not as an OperationCanceledException.
        var store = new LosingWatchStore(_factory.Store, stopFault: new InvalidOperationException("Status(StatusCode=\"Cancelled\")"));
        var directory = new TokenDirectory(store, TimeProvider.System, _logs.CreateLogger<TokenDirectory>());
        await directory.StartAsync(TestContext.Current.CancellationToken);
        await StoredTokens.PutAsync(_factory.Store, token);
        await Polling.UntilAsync(async () => await directory.FindAsync(token.Id, TestContext.Current.CancellationToken) is { } found && directory.Holds(found), "the token held through the watch");

        await directory.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(directory.ExecuteTask!.IsCompletedSuccessfully, $"the directory ended {directory.ExecuteTask.Status}: {directory.ExecuteTask.Exception}");
    }

    /// <summary>The first watch fails at once with <paramref name="firstFault"/> when one is given; a watch cancelled by its
    /// caller ends with <paramref name="stopFault"/> when one is given.</summary>
    private sealed class LosingWatchStore(IMetaStore inner, Exception? firstFault = null, Exception? stopFault = null) : DelegatingStore(inner)
    {
        private int _watches;

        public int Watches => Volatile.Read(ref _watches);

        public override IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
            FollowAsync(prefix, fromRevision, Interlocked.Increment(ref _watches) == 1 ? firstFault : null, cancellationToken);

        private async IAsyncEnumerable<WatchEvent> FollowAsync(string prefix, long fromRevision, Exception? fault, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (fault is not null)
            {
                throw fault;
            }

            await using var changes = Inner.WatchAsync(prefix, fromRevision, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                bool more;
                try
                {
                    more = await changes.MoveNextAsync();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && stopFault is not null)
                {
                    throw stopFault;
                }

                if (!more)
                {
                    yield break;
                }

                yield return changes.Current;
            }
        }
    }
}