using MetaService.Core.History;
using MetaService.Core.ReservedInstances;

using Xunit;

using static MetaService.Core.Tests.ReservedInstances.Reserving;

namespace MetaService.Core.Tests.ReservedInstances;

/// <summary>With a history, each reserved-instance write leaves an entry of the function, in the same transaction: its
/// operation and the counts before and after in each cluster it names; a refusal leaves none.</summary>
public sealed class ReservedInstanceHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static ReservedInstanceService WithHistory(Reserving reserving) =>
        new(reserving.Store, reserving.Options, new HistoryLog(new HistoryOptions(), TimeProvider.System));

    /// <summary>The function's entries, newest first.</summary>
    private static async Task<List<HistoryEntry>> EntriesAsync(Reserving reserving) =>
        [.. (await new HistoryReader(reserving.Store).FunctionAsync(Tenant.Default, Hello, 0, null, None)).Value!.Entries];

    private static string Changes(HistoryEntry entry) =>
        string.Join(" | ", entry.Changes.Select(c => $"{c.Path} {c.Op} {c.From?.ToJsonString()} {c.To?.ToJsonString()}"));

    [Fact]
    public async Task CreateUpdateAndDelete_EachLeaveTheirEntry()
    {
        await using var reserving = await WithHelloAsync();
        var service = WithHistory(reserving);

        var before = await reserving.RevisionAsync();
        await service.CreateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1)), None);
        Assert.Equal(before + 1, await reserving.RevisionAsync());
        await service.UpdateAsync(Tenant.Default, Request("a", ("cluster001", 4, 2)), None);
        await service.DeleteAsync(Tenant.Default, Version("a"), None);
        await service.DeleteAsync(Tenant.Default, Version(), None);

        var entries = await EntriesAsync(reserving);
        Assert.Equal(
            [HistoryOperations.ReserveDelete, HistoryOperations.ReserveDelete, HistoryOperations.ReserveUpdate, HistoryOperations.ReserveCreate],
            entries.Select(e => e.Operation));
        Assert.All(entries, e => Assert.Equal((Hello, "latest"), (e.Name, e.Version)));
        Assert.Equal(
            [
                "reservedInstances remove  ",
                "reservedInstances.a remove  ",
                """reservedInstances.a.cluster001 replace {"maxInstance":3,"minInstance":1} {"maxInstance":4,"minInstance":2}""",
                """reservedInstances.a.cluster001 add  {"maxInstance":3,"minInstance":1}""",
            ],
            entries.Select(Changes));
    }

    [Fact]
    public async Task ARefusedWrite_LeavesNoEntry()
    {
        await using var reserving = await WithHelloAsync();

        await WithHistory(reserving).UpdateAsync(Tenant.Default, Request("a", ("cluster001", 3, 1)), None);

        Assert.Empty(await EntriesAsync(reserving));
    }
}