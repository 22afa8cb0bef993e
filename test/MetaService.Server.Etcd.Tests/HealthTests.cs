using System.Net;

using MetaService.Etcd.Testing;

namespace MetaService.Server.Tests;

/// <summary>What an operator sees when etcd is not there: a start that stops with a useful message, and an
/// unhealthy <c>/healthz</c>.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Start_WithUnreachableEtcd_FailsNamingTheEndpointAndTheFix()
    {
        await using var factory = new MetaServiceFactory();
        factory.Settings["Store:Etcd:Endpoints:0"] = "http://127.0.0.1:1";
        factory.Settings["Store:Etcd:RequestTimeout"] = "00:00:01";

        var failure = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(failure);
        Assert.Contains("http://127.0.0.1:1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("etcd-local.sh", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_WhenEtcdDies_Answers503WithCodeAndMessage()
    {
        await using var cluster = await EtcdCluster.StartAsync(1, TestContext.Current.CancellationToken);
        await using var factory = new MetaServiceFactory();
        factory.Settings["Store:Etcd:Endpoints:0"] = cluster.ClientUrls[0];
        factory.Settings["Store:Etcd:RequestTimeout"] = "00:00:01";
        factory.Settings["Logging:LogLevel:MetaService"] = "Critical";
        using var api = factory.CreateApi();
        using var healthy = await api.SendAsync(HttpMethod.Get, "/healthz", null);

        await cluster.KillAsync(0);

        using var unhealthy = await api.SendAsync(HttpMethod.Get, "/healthz", null);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var message = await Wire.AssertErrorAsync(unhealthy, HttpStatusCode.ServiceUnavailable, 122002);
        Assert.StartsWith("the metadata store is unavailable", message, StringComparison.Ordinal);

        // A 503 body does not name internal endpoints (the server log does).
        Assert.DoesNotContain(cluster.ClientUrls[0], message, StringComparison.Ordinal);
    }
}