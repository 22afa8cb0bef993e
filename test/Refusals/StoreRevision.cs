using MetaService.Core.Storage;

namespace MetaService.Tests.Refusals;

/// <summary>
/// What a request wrote, read from the store's revision: every committed transaction advances it by one, so a refusal
/// must leave it where it was, and a race with one winner must move it by exactly the winner's transaction. The store is
/// the test's own (its own file, or an etcd member no other test writes to meanwhile).
/// </summary>
public static class StoreRevision
{
    /// <summary>Runs <paramref name="refused"/>, which must be refused, and asserts that the store's revision did not move;
    /// returns what it returned.</summary>
    public static Task<T> NothingWrittenAsync<T>(this IMetaStore store, Func<Task<T>> refused) =>
        AdvancedByAsync(store.GetRevisionAsync, 0, refused, "a refusal wrote");

    /// <summary>As above, for a store that must not be open while <paramref name="refused"/> runs (a command that opens it
    /// itself): <paramref name="revision"/> opens it, reads its revision and closes it.</summary>
    public static Task<T> NothingWrittenAsync<T>(Func<CancellationToken, Task<long>> revision, Func<Task<T>> refused) =>
        AdvancedByAsync(revision, 0, refused, "a refusal wrote");

    /// <summary>Runs <paramref name="race"/>, in which one writer wins with one transaction and every other is refused, and
    /// asserts that the store's revision moved by exactly one; returns what it returned.</summary>
    public static Task<T> OneWriteAsync<T>(this IMetaStore store, Func<Task<T>> race) =>
        AdvancedByAsync(store.GetRevisionAsync, 1, race, "a refused writer wrote, or the winner wrote more than one transaction");

    private static async Task<T> AdvancedByAsync<T>(Func<CancellationToken, Task<long>> revision, long expected, Func<Task<T>> act, string otherwise)
    {
        var before = await revision(Xunit.TestContext.Current.CancellationToken);

        var outcome = await act();

        var after = await revision(Xunit.TestContext.Current.CancellationToken);
        Xunit.Assert.True(after - before == expected, $"the store's revision moved from {before} to {after}: {otherwise}");
        return outcome;
    }
}