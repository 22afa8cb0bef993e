using MetaService.Etcd;

using Microsoft.Extensions.Logging.Abstractions;

using Xunit;

namespace MetaService.Store.Tests;

/// <summary>The etcd settings' checks: each problem is named with how to fix it, and a store is not opened on any.</summary>
public sealed class EtcdOptionsTests
{
    private static readonly EtcdStoreOptions Valid = new() { Endpoints = ["http://127.0.0.1:2379"] };

    [Fact]
    public void ValidSettings_HaveNoProblem()
    {
        var options = Valid with { Endpoints = ["https://a:2379", "https://b:2379"], User = "u", Password = "p", TxnBatchLimit = 64, TxnsInFlight = 1 };

        Assert.Empty(options.Problems());
    }

    [Fact]
    public void NoEndpoint_IsAProblem_SayingWhatToGive()
    {
        var problems = (Valid with { Endpoints = [] }).Problems();

        Assert.Equal(["Store:Etcd:Endpoints is empty: give the etcd client URLs, e.g. --etcd-endpoints http://127.0.0.1:2379"], problems);
    }

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("ftp://127.0.0.1:2379")]
    public void AnEndpointThatIsNotAnHttpUrl_IsAProblem(string endpoint)
    {
        var problems = (Valid with { Endpoints = [endpoint] }).Problems();

        Assert.Equal([$"Store:Etcd:Endpoints '{endpoint}' is not an http:// or https:// URL"], problems);
    }

    [Fact]
    public void MixedSchemes_AreAProblem()
    {
        var problems = (Valid with { Endpoints = ["http://a:2379", "HTTPS://b:2379"] }).Problems();

        Assert.Equal(["Store:Etcd:Endpoints mixes http and https: use one scheme for all members"], problems);
    }

    [Theory]
    [InlineData("root", null)]
    [InlineData(null, "secret")]
    public void AUserWithoutPassword_OrAPasswordWithoutUser_IsAProblem(string? user, string? password)
    {
        var problems = (Valid with { User = user, Password = password }).Problems();

        Assert.Equal(["Store:Etcd:User and Store:Etcd:Password go together: give both or neither"], problems);
    }

    [Fact]
    public void ACertificateWithoutKey_IsAProblem()
    {
        var certificate = Path.GetTempFileName();
        try
        {
            var problems = (Valid with { CertFile = certificate }).Problems();

            Assert.Equal(["Store:Etcd:CertFile and Store:Etcd:KeyFile go together: give both or neither"], problems);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Theory]
    [InlineData("CaFile")]
    [InlineData("CertFile")]
    [InlineData("KeyFile")]
    public void AFileThatDoesNotExist_IsAProblem_Naming(string setting)
    {
        var missing = Path.Combine(Path.GetTempPath(), "absent-" + Guid.NewGuid().ToString("N") + ".pem");
        var present = Path.GetTempFileName();
        try
        {
            var options = setting switch
            {
                "CaFile" => Valid with { CaFile = missing },
                "CertFile" => Valid with { CertFile = missing, KeyFile = present },
                _ => Valid with { CertFile = present, KeyFile = missing },
            };

            var problems = options.Problems();

            Assert.Equal([$"Store:Etcd:{setting} '{missing}' does not exist"], problems);
        }
        finally
        {
            File.Delete(present);
        }
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(-1, 5)]
    public void ATimeoutThatIsNotPositive_IsAProblem(int requestSeconds, int attemptSeconds)
    {
        var options = Valid with { RequestTimeout = TimeSpan.FromSeconds(requestSeconds), AttemptTimeout = TimeSpan.FromSeconds(attemptSeconds) };

        var problems = options.Problems();

        Assert.Equal(["Store:Etcd:RequestTimeout and Store:Etcd:AttemptTimeout must be positive (e.g. 00:00:05)"], problems);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var options = Valid with { Endpoints = [], User = "root", TxnsInFlight = 0, TxnBatchLimit = 65, AttemptTimeout = TimeSpan.Zero };

        var problems = options.Problems().ToList();

        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void EndpointList_JoinsTheEndpoints_OrSaysNone()
    {
        var two = Valid with { Endpoints = ["http://a:1", "http://b:2"] };

        Assert.Equal("http://a:1,http://b:2", two.EndpointList);
        Assert.Equal("(none)", (Valid with { Endpoints = [] }).EndpointList);
    }

    [Fact]
    public void TheStore_IsNotOpened_OnSettingsWithProblems()
    {
        var options = new EtcdStoreOptions { Endpoints = ["nonsense"], User = "root" };

        var refused = Assert.Throws<ArgumentException>(() => new EtcdMetaStore(options, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance));

        Assert.StartsWith(
            "Store:Etcd:Endpoints 'nonsense' is not an http:// or https:// URL; Store:Etcd:User and Store:Etcd:Password go together",
            refused.Message,
            StringComparison.Ordinal);
        Assert.Equal("options", refused.ParamName);
    }

    [Fact]
    public async Task ASnapshot_IsNotOpened_OnSettingsWithProblems()
    {
        var options = new EtcdStoreOptions { Endpoints = [], TxnsInFlight = 0 };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => EtcdSnapshot.OpenAsync(options, TimeProvider.System, NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.StartsWith("Store:Etcd:Endpoints is empty: give the etcd client URLs, e.g. --etcd-endpoints http://127.0.0.1:2379; Store:Etcd:TxnsInFlight is 0", refused.Message, StringComparison.Ordinal);
    }
}