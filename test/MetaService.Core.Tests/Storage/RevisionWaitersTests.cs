using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>Writers waiting for a follower to apply their revision: a wait ends when a release reaches its revision
/// (not before), answers at once when the revision is applied already, and a wait given up is dropped.</summary>
public sealed class RevisionWaitersTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AWait_ForARevisionAppliedAlready_AnswersAtOnce_AndRegistersNothing()
    {
        var waiters = new RevisionWaiters();
        long applied = 5;

        var wait = waiters.WaitAsync(5, ref applied, Long, TimeProvider.System, CancellationToken.None);

        Assert.True(wait.IsCompleted);
        Assert.True(await wait);
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task AWait_EndsWhenAReleaseReachesItsRevision_AndNotBefore()
    {
        var waiters = new RevisionWaiters();
        long applied = 3;
        var four = waiters.WaitAsync(4, ref applied, Long, TimeProvider.System, CancellationToken.None);
        var six = waiters.WaitAsync(6, ref applied, Long, TimeProvider.System, CancellationToken.None);
        var seven = waiters.WaitAsync(7, ref applied, Long, TimeProvider.System, CancellationToken.None);
        Assert.Equal(3, waiters.Count);

        waiters.Release(3);
        Assert.Equal(3, waiters.Count);

        applied = 6;
        waiters.Release(6);

        Assert.True(await four);
        Assert.True(await six);
        Assert.False(seven.IsCompleted);
        Assert.Equal(1, waiters.Count);

        applied = 7;
        waiters.Release(7);
        Assert.True(await seven);
        Assert.Equal(0, waiters.Count);
    }

    [Fact]
    public async Task AWait_ThatTimesOut_AnswersFalse_AndIsDropped_WhileOthersWaitOn()
    {
        var waiters = new RevisionWaiters();
        long applied = 1;
        var kept = waiters.WaitAsync(9, ref applied, Long, TimeProvider.System, CancellationToken.None);

        var given = waiters.WaitAsync(2, ref applied, TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);

        Assert.False(await given);
        Assert.Equal(1, waiters.Count);
        applied = 9;
        waiters.Release(9);
        Assert.True(await kept);
    }

    [Fact]
    public async Task AWait_ThatIsCancelled_Throws_AndIsDropped()
    {
        var waiters = new RevisionWaiters();
        long applied = 1;
        using var cancel = new CancellationTokenSource();
        var wait = waiters.WaitAsync(2, ref applied, Long, TimeProvider.System, cancel.Token);
        Assert.Equal(1, waiters.Count);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, waiters.Count);
    }
}