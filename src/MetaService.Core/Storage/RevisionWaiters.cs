namespace MetaService.Core.Storage;

/// <summary>
/// Writers waiting for a follower (a view, the function catalog) to apply their transaction's revision. The owner
/// sets its applied revision first and then calls <see cref="Release"/>; a wait checks that
/// revision only under the lock, and registers under the same lock, so no release can come between the check and the
/// registration (an unlocked check first would save an uncontended lock, about 20 ns, and leave a window between the two
/// checks that no test can reach). Waiters resume on the thread pool.
/// </summary>
public sealed class RevisionWaiters
{
    private readonly Lock _lock = new();
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiting = [];

    /// <summary>A task that completes once <paramref name="applied"/> reaches <paramref name="revision"/> (done
    /// already if it has).</summary>
    private Task WaitAsync(long revision, ref long applied)
    {
        lock (_lock)
        {
            if (Volatile.Read(ref applied) >= revision)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((revision, done));
            return done.Task;
        }
    }

    /// <summary>Waits until <paramref name="applied"/> reaches <paramref name="revision"/>, for at most
    /// <paramref name="timeout"/>: false when it passes first. A wait given up (timed out or cancelled) is dropped at
    /// once, not when its revision comes, which may be never.</summary>
    public Task<bool> WaitAsync(long revision, ref long applied, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var wait = WaitAsync(revision, ref applied);
        return wait.IsCompleted ? Reached : BoundedAsync(wait, timeout, time, cancellationToken);
    }

    /// <summary>Completes the waits <paramref name="revision"/> satisfies, outside the lock.</summary>
    public void Release(long revision)
    {
        List<TaskCompletionSource>? released = null;
        lock (_lock)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (_waiting[i].Revision <= revision)
                {
                    (released ??= []).Add(_waiting[i].Done);
                    _waiting[i] = _waiting[^1];
                    _waiting.RemoveAt(_waiting.Count - 1);
                }
            }
        }

        foreach (var done in released ?? [])
        {
            done.TrySetResult();
        }
    }

    /// <summary>How many waits are registered.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    private static readonly Task<bool> Reached = Task.FromResult(true);

    private async Task<bool> BoundedAsync(Task wait, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await wait.WaitAsync(timeout, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            Forget(wait);
            return false;
        }
        catch (OperationCanceledException)
        {
            Forget(wait);
            throw;
        }
    }

    /// <summary>Drops a wait its writer gave up.</summary>
    private void Forget(Task wait)
    {
        lock (_lock)
        {
            var at = _waiting.FindIndex(w => w.Done.Task == wait);
            if (at >= 0)
            {
                _waiting.RemoveAt(at);
            }
        }
    }
}