using MetaService.Core.Storage;

namespace MetaService.Tests.Fixtures;

/// <summary>A store seen without its append log (<see cref="IMetaStore.Appends"/>): what the history writes and reads on
/// a store that has none (etcd), and what an earlier MetaService wrote on the embedded store. Disposing it disposes the
/// store under it when <paramref name="ownsInner"/> says so.</summary>
public sealed class WithoutAppendLog(IMetaStore inner, bool ownsInner = true) : DelegatingStore(inner, ownsInner)
{
    public override IAppendLog? Appends => null;
}