using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Core.Tests.Aliases;

/// <summary>The store, where the next <see cref="Losses"/> transactions lose their compares (as to another writer that
/// committed first) without writing anything.</summary>
internal sealed class LosingStore(IMetaStore inner) : DelegatingStore(inner)
{
    public int Losses { get; set; }

    public int Transactions { get; private set; }

    public override async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        Transactions++;
        if (Losses > 0)
        {
            Losses--;
            return await LostAsync(cancellationToken);
        }

        return await Inner.TxnAsync(compares, writes, cancellationToken);
    }
}