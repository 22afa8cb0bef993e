namespace MetaService.Server.Tests;

/// <summary>Two servers on one etcd (one key prefix): <see cref="A"/>, and <see cref="B"/> made as its replica.</summary>
public abstract class TwoReplicas(MetaServiceFactory a) : IAsyncLifetime
{
    private MetaServiceFactory? _b;

    protected MetaServiceFactory A { get; } = a;

    protected MetaServiceFactory B => _b ?? throw new InvalidOperationException("not initialised");

    public ValueTask InitializeAsync()
    {
        _b = MetaServiceFactory.ReplicaOf(A);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}