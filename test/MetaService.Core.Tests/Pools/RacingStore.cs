using MetaService.Core.Storage;

using MetaService.Tests.Fixtures;

namespace MetaService.Core.Tests.Pools;

/// <summary>The real store with another writer racing every transaction: before each one it lets <c>Rival</c> write
/// to the store first (as the platform or another request would between a read and a write), and counts the
/// transactions it was asked to commit.</summary>
internal sealed class RacingStore(IMetaStore inner) : DelegatingStore(inner)
{
    /// <summary>Runs before each transaction on the store underneath; the number is how many came before (0, 1, …).</summary>
    public Func<IMetaStore, int, Task> Rival { get; set; } = (_, _) => Task.CompletedTask;

    public int Transactions { get; private set; }

    public override async Task<TxnResult> TxnAsync(IReadOnlyList<Compare> compares, IReadOnlyList<WriteOp> writes, CancellationToken cancellationToken = default)
    {
        await Rival(Inner, Transactions++);
        return await Inner.TxnAsync(compares, writes, cancellationToken);
    }
}