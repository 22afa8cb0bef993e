using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Core.Tests.History;

/// <summary>The real store, with what passes through it recorded: the writes of each transaction, how many range reads
/// (with values or keys only) were made, and a hook run before each range read with values (to make a write land between
/// two pages of one read).</summary>
internal sealed class RecordingStore(IMetaStore inner) : DelegatingStore(inner)
{
    public List<int> TransactionSizes { get; } = [];

    public Func<int, Task>? BeforeRange { get; set; }

    private int _ranges;

    /// <summary>Range reads made through this store, with values or keys only.</summary>
    public int Ranges { get; private set; }

    public override async Task<RangeResult> RangeAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
    {
        Ranges++;
        if (BeforeRange is { } hook)
        {
            await hook(++_ranges);
        }

        return await Inner.RangeAsync(prefix, limit, startAfter, cancellationToken);
    }

    /// <summary>Keys-only reads (the catalog's) pass unhooked.</summary>
    public override Task<RangeResult> RangeKeysAsync(string prefix, int limit = 0, string? startAfter = null, CancellationToken cancellationToken = default)
    {
        Ranges++;
        return Inner.RangeKeysAsync(prefix, limit, startAfter, cancellationToken);
    }

    public override Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        TransactionSizes.Add(compares.Count + writes.Count);
        return Inner.TxnAsync(compares, writes, cancellationToken);
    }
}