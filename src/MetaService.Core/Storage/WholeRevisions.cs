namespace MetaService.Core.Storage;

/// <summary>
/// Follows a watch by whole revisions. Each change is applied as it comes; a revision is published once all of its
/// changes are applied: when a later revision begins, or when the watch has nothing more at hand (a store delivers a
/// revision's changes together). A transaction may change several keys at one revision (publish writes the draft and
/// the new version); publishing on its first change would let its writer answer, and its client read, with the rest
/// missing. The view of the cached prefixes and the function catalog both follow their watches this way.
/// </summary>
public static class WholeRevisions
{
    /// <summary>Applies and publishes until the watch ends (or throws).</summary>
    public static async Task FollowAsync(IAsyncEnumerable<WatchEvent> watch, Action<WatchEvent> apply, Action<long> publish, CancellationToken stop)
    {
        await using var changes = watch.GetAsyncEnumerator(stop);
        var last = 0L;
        var published = 0L;
        while (true)
        {
            var next = changes.MoveNextAsync();
            if (!next.IsCompleted && last > published)
            {
                publish(published = last);
            }

            if (!await next)
            {
                return;
            }

            var change = changes.Current;
            if (change.Kv.ModRevision > last && last > published)
            {
                publish(published = last);
            }

            apply(change);
            last = change.Kv.ModRevision;
        }
    }
}