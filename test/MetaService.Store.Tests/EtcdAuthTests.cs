using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Etcd.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>One plain etcd member with authentication on: user <c>root</c>, simple tokens.</summary>
public sealed class EtcdAuthFixture : IAsyncLifetime
{
    public const string RootPassword = "r00t-pw";
    private EtcdCluster? _cluster;

    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("etcd is not started");

    public async ValueTask InitializeAsync()
    {
        _cluster = await EtcdCluster.StartAsync(1, TestContext.Current.CancellationToken);
        await _cluster.EnableAuthAsync(RootPassword, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A store on this etcd as <paramref name="user"/>, by default <c>root</c> with the right password.</summary>
    public EtcdMetaStore Open(string password = RootPassword, TimeSpan? requestTimeout = null, string user = "root") => new(
        new EtcdStoreOptions
        {
            Endpoints = Cluster.ClientUrls,
            User = user,
            Password = password,
            KeyPrefix = "auth-" + Guid.NewGuid().ToString("N")[..8],
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
        },
        TimeProvider.System,
        NullLogger<EtcdMetaStore>.Instance);

    /// <summary>Turns authentication off and on again, which drops every simple token etcd handed out.</summary>
    public async Task InvalidateTokensAsync(CancellationToken cancellationToken)
    {
        await Cluster.EtcdctlAsync(["--user", "root:" + RootPassword, "auth", "disable"], cancellationToken);
        await Cluster.EtcdctlAsync(["auth", "enable"], cancellationToken);
    }
}

/// <summary>The store contract as an etcd user, and what happens with a wrong password or a dropped token.</summary>
public sealed class EtcdAuthTests(EtcdAuthFixture etcd) : StoreContract, IClassFixture<EtcdAuthFixture>
{
    protected override Task<IMetaStore> OpenAsync() => Task.FromResult<IMetaStore>(etcd.Open());

    [Fact]
    public async Task WithoutCredentials_IsRefused()
    {
        await using var anonymous = new EtcdMetaStore(
            new EtcdStoreOptions { Endpoints = etcd.Cluster.ClientUrls, RequestTimeout = TimeSpan.FromSeconds(2) },
            TimeProvider.System,
            NullLogger<EtcdMetaStore>.Instance);

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => anonymous.GetAsync("/x", TestContext.Current.CancellationToken));

        Assert.Contains("user name is empty", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_FailsAtOnce_SayingAuthenticationFailed()
    {
        await using var store = etcd.Open(password: "wrong", requestTimeout: TimeSpan.FromSeconds(5));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("/x", TestContext.Current.CancellationToken));

        Assert.Contains("authentication failed", fault.Message, StringComparison.Ordinal);
        Assert.Contains(etcd.Cluster.ClientUrls[0], fault.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt(s)", fault.Message, StringComparison.Ordinal); // not worth retrying
        Assert.DoesNotContain("may or may not have been applied", fault.Message, StringComparison.Ordinal); // a read
    }

    [Fact]
    public async Task WrongPassword_FailsAWatchAtOnce_NamingTheWatch()
    {
        await using var store = etcd.Open(password: "wrong", requestTimeout: TimeSpan.FromSeconds(5));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/", 1, TestContext.Current.CancellationToken))
            {
                Assert.Fail($"no change reaches a store that cannot authenticate, got {change.Kv.Key}");
            }
        });

        Assert.StartsWith($"etcd ({etcd.Cluster.ClientUrls[0]}) failed watch after 1 attempt(s)", fault.Message, StringComparison.Ordinal);
        Assert.Contains("authentication failed", fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("may or may not have been applied", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWatchOfKeysTheUserMayNotRead_IsCancelledByEtcd_AndFailsAsAStoreFault_GivingEtcdsReason()
    {
        var user = "reader" + Guid.NewGuid().ToString("N")[..8];
        string[] root = ["--user", "root:" + EtcdAuthFixture.RootPassword];
        await etcd.Cluster.EtcdctlAsync([.. root, "role", "add", user], TestContext.Current.CancellationToken);
        await etcd.Cluster.EtcdctlAsync([.. root, "role", "grant-permission", "--prefix=true", user, "read", "/elsewhere/"], TestContext.Current.CancellationToken);
        await etcd.Cluster.EtcdctlAsync([.. root, "user", "add", user + ":pw-" + user], TestContext.Current.CancellationToken);
        await etcd.Cluster.EtcdctlAsync([.. root, "user", "grant-role", user, user], TestContext.Current.CancellationToken);
        await using var store = etcd.Open(password: "pw-" + user, user: user);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));

        var fault = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var change in store.WatchAsync("/mine/", 1, bound.Token))
            {
                Assert.Fail($"no change reaches a watch etcd does not permit, got {change.Kv.Key}");
            }
        });

        Assert.StartsWith("etcd cancelled the watch of /mine/: ", fault.Message, StringComparison.Ordinal);
        Assert.EndsWith("etcdserver: permission denied", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DroppedToken_IsReplaced_ForWrites()
    {
        await PutAsync("/t", "1");
        await etcd.InvalidateTokensAsync(TestContext.Current.CancellationToken);

        var written = await PutAsync("/t", "2");
        var read = await Store.GetAsync("/t", TestContext.Current.CancellationToken);

        Assert.True(written.Succeeded);
        Assert.Equal("2", Text(read!.Value));
    }

    [Fact]
    public async Task DroppedToken_IsReplaced_ForWatches()
    {
        var first = await PutAsync("/w", "1");
        await etcd.InvalidateTokensAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));

        var seen = new List<string>();
        await foreach (var change in Store.WatchAsync("/w", first.Revision, timeout.Token))
        {
            seen.Add(Text(change.Kv.Value));
            break;
        }

        Assert.Equal(["1"], seen);
    }
}