namespace MetaService.Core.Catalog;

/// <summary>
/// After a bulk build of the catalog (loading the store, indexing every name for the first filtered list), the garbage
/// of the build and the outgrown arrays of the indexes stay committed: the large object heap is not compacted by
/// itself. From <see cref="From"/> entries on, one aggressive collection gives that memory back (at a million
/// functions ~190 MiB after the load, ~180 MiB after the name index). It pauses the process once, for a few hundred
/// milliseconds at a million functions, and never happens on a smaller catalog.
/// </summary>
internal static class Compaction
{
    /// <summary>The smallest build that ends with a compaction.</summary>
    public const int From = 100_000;

    /// <summary>Compacts now, when the build was of <paramref name="entries"/> ≥ <see cref="From"/>.</summary>
    public static void AfterBuild(long entries)
    {
        if (entries >= From)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>Compacts on the thread pool (the caller holds a lock readers wait on).</summary>
    public static void SoonAfterBuild(long entries)
    {
        if (entries >= From)
        {
            ThreadPool.QueueUserWorkItem(_ => AfterBuild(entries));
        }
    }
}