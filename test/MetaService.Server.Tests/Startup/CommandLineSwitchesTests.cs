namespace MetaService.Server.Tests.Startup;

/// <summary>The short switches expanded to configuration keys (<see cref="CommandLineSwitches.Expand"/>), exactly as
/// spelled, with openYuanrong's flags in every form of Go's flag package.</summary>
public sealed class CommandLineSwitchesTests
{
    [Theory]
    [InlineData("--data-dir ./d", "--Store:DataDirectory ./d")]
    [InlineData("--data-dir=./d", "--Store:DataDirectory=./d")]
    [InlineData("--store etcd", "--Store:Kind etcd")]
    [InlineData("--store=etcd --Meta:VersionMax 3", "--Store:Kind=etcd --Meta:VersionMax 3")]
    [InlineData("--Store etcd --STORE=x --data-dir", "--Store etcd --STORE=x --Store:DataDirectory")]
    [InlineData("-log_config_path /l.json", "--Original:LogConfigPath /l.json")]
    [InlineData("--log_config_path=/l.json", "--Original:LogConfigPath=/l.json")]
    [InlineData("x=--store", "x=--store")]
    public void TheServersSwitches_BecomeTheirKeys_AndTheRestStaysAsGiven(string arguments, string expected)
    {
        Assert.Equal(Split(expected), CommandLineSwitches.Expand(Split(arguments)));
    }

    [Theory]
    [InlineData("--etcd-endpoints http://a:2379,http://b:2379", "--Store:Etcd:Endpoints:0 http://a:2379 --Store:Etcd:Endpoints:1 http://b:2379")]
    [InlineData("--etcd-endpoints=http://a:2379 --store etcd", "--Store:Etcd:Endpoints:0 http://a:2379 --Store:Kind etcd")]
    [InlineData("--store etcd --etcd-endpoints", "--Store:Kind etcd")]
    public void EtcdEndpoints_BecomeOneIndexedKeyPerMember(string arguments, string expected)
    {
        Assert.Equal(Split(expected), CommandLineSwitches.Expand(Split(arguments)));
    }

    [Fact]
    public void EtcdEndpoints_AreTrimmed_AndEmptyOnesDropped()
    {
        Assert.Equal(
            ["--Store:Etcd:Endpoints:0", "http://a:2379", "--Store:Etcd:Endpoints:1", "http://b:2379", "--urls", "x"],
            CommandLineSwitches.Expand(["--etcd-endpoints= http://a:2379, ,http://b:2379 ", "--urls", "x"]));
        Assert.Equal(["--Store:Etcd:Endpoints:0", "http://a:2379"], CommandLineSwitches.Expand(["--etcd-endpoints", " http://a:2379 ,"]));
    }

    [Theory]
    [InlineData("-config_path /c.json", "--Original:ConfigPath /c.json --urls=")]
    [InlineData("--config_path=/c.json", "--Original:ConfigPath=/c.json --urls=")]
    [InlineData("-config_path /c.json --urls http://127.0.0.1:0", "--Original:ConfigPath /c.json --urls http://127.0.0.1:0")]
    [InlineData("--URLS=http://127.0.0.1:0 --config_path /c.json", "--URLS=http://127.0.0.1:0 --Original:ConfigPath /c.json")]
    [InlineData("--Original:ConfigPath /c.json", "--Original:ConfigPath /c.json --urls=")]
    [InlineData("-log_config_path /l.json", "--Original:LogConfigPath /l.json")]
    public void WithOpenYuanrongsConfigFile_TheDefaultUrlIsCleared_UnlessUrlsAreGiven(string arguments, string expected)
    {
        Assert.Equal(Split(expected), CommandLineSwitches.Expand(Split(arguments)));
    }

    [Fact]
    public void TheNames_AreEverySwitchExpanded()
    {
        Assert.Equal(
            ["--config_path", "--data-dir", "--etcd-endpoints", "--log_config_path", "--store", "-config_path", "-log_config_path"],
            CommandLineSwitches.Names.Order(StringComparer.Ordinal));
    }

    private static string[] Split(string arguments) => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}