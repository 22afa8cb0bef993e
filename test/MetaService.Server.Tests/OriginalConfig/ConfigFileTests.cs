using System.Net;

using MetaService.Server.OriginalConfig;
using MetaService.Server.Startup;

namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>
/// openYuanrong's meta_service <c>config.json</c> mapped onto MetaService's settings (<see cref="ConfigFile"/>):
/// where to listen, the etcd store and how to reach it, the <c>Meta:</c> limits, and the files refused, each with
/// its one line. The files are written by the test; the server in its own process is <c>OriginalConfigTests</c>.
/// </summary>
public sealed class ConfigFileTests : IDisposable
{
    private const string Etcd = """ "etcd": { "servers": ["10.0.0.1:2379"] } """;

    private readonly FilesFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("\"10.1.2.3\"", "10.9.9.9", "10.1.2.3")]
    [InlineData("\"\"", "10.9.9.9", "10.9.9.9")]
    [InlineData("null", "", "0.0.0.0")]
    [InlineData("\"\"", null, "0.0.0.0")]
    [InlineData("\"localhost\"", "10.9.9.9", "127.0.0.1")]
    [InlineData("\"::1\"", null, "::1")]
    public void TheListenAddress_IsTheFilesIp_ElsePodIp_Else0000(string ip, string? podIp, string expected)
    {
        var config = Read($$"""{ {{Etcd}}, "server": { "ip": {{ip}}, "port": 8080 } }""", podIp);

        Assert.Equal(IPAddress.Parse(expected), config.Address);
        Assert.Equal(8080, config.Port);
    }

    [Fact]
    public void AnIpThatIsNotAnAddress_StopsTheStart_SayingWhatToGive()
    {
        var file = Write($$"""{ {{Etcd}}, "server": { "ip": "meta.local" } }""");

        Assert.Equal($"{file}: server.ip (or POD_IP) is 'meta.local', which is not an IP address: give the address to listen on, or leave it empty for 0.0.0.0",
            Refused(file));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData(""" "port": 0 """, 0)]
    [InlineData(""" "port": "31182" """, 31182)]
    [InlineData(""" "port": 65535 """, 65535)]
    public void ThePort_IsTheFiles_OrOneTheSystemChooses(string member, int expected)
    {
        Assert.Equal(expected, Read($$"""{ {{Etcd}}, "server": { {{member}} } }""").Port);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void APortOutOfRange_StopsTheStart(int port)
    {
        var file = Write($$"""{ {{Etcd}}, "server": { "port": {{port}} } }""");

        Assert.Equal($"{file}: server.port is {port}: give a port from 1 to 65535", Refused(file));
    }

    [Fact]
    public void TheEtcdMembers_BecomeUrls_SplitAtCommas_WithTheSchemeOfSslEnable_AndThePrefix()
    {
        var plain = Read("""{ "etcd": { "servers": ["10.0.0.1:2379, 10.0.0.2:2379", "http://10.0.0.3:2379"], "azPrefix": "az1" } }""").Settings;
        var tls = Read("""{ "etcd": { "servers": ["10.0.0.1:2379"], "sslEnable": true, "authType": "TLS" } }""").Settings;

        Assert.Equal("etcd", plain["Store:Kind"]);
        Assert.Equal("http://10.0.0.1:2379", plain["Store:Etcd:Endpoints:0"]);
        Assert.Equal("http://10.0.0.2:2379", plain["Store:Etcd:Endpoints:1"]);
        Assert.Equal("http://10.0.0.3:2379", plain["Store:Etcd:Endpoints:2"]);
        Assert.False(plain.ContainsKey("Store:Etcd:Endpoints:3"));
        Assert.Equal("az1", plain["Store:Etcd:KeyPrefix"]);
        Assert.Equal("https://10.0.0.1:2379", tls["Store:Etcd:Endpoints:0"]);
        Assert.False(tls.ContainsKey("Store:Etcd:KeyPrefix"));
    }

    [Theory]
    [InlineData("""{ "etcd": { "servers": [] } }""")]
    [InlineData("""{ "etcd": { "servers": [" , "] } }""")]
    [InlineData("""{ }""")]
    public void NoEtcdMember_StopsTheStart_WithAnExample(string text)
    {
        var file = Write(text);

        Assert.Equal($"{file}: etcd.servers is empty: list the etcd members, e.g. \"servers\": [\"10.0.0.1:2379\"]",
            Refused(file));
    }

    [Fact]
    public void EtcdWithAuthTypeTls_TakesItsOwnFiles_ElseTheResourceDirectorys()
    {
        var own = Read("""{ "etcd": { "servers": ["e:2379"], "sslEnable": true, "authType": "TLS", "cafile": "/c/ca", "certfile": "/c/crt", "keyfile": "/c/key" } }""").Settings;
        var defaults = Read("""{ "etcd": { "servers": ["e:2379"], "sslEnable": true, "authType": "TLS", "cafile": "" } }""").Settings;

        Assert.Equal(("/c/ca", "/c/crt", "/c/key"), (own["Store:Etcd:CaFile"], own["Store:Etcd:CertFile"], own["Store:Etcd:KeyFile"]));
        Assert.Equal(
            ("/home/sn/resource/etcd/ca.crt", "/home/sn/resource/etcd/client.crt", "/home/sn/resource/etcd/client.key"),
            (defaults["Store:Etcd:CaFile"], defaults["Store:Etcd:CertFile"], defaults["Store:Etcd:KeyFile"]));
        Assert.False(own.ContainsKey("Store:Etcd:User"));
    }

    [Fact]
    public void EtcdWithSslAndAnotherAuthType_TakesTheFilesOfMutualTlsConfig()
    {
        var settings = Read("""
            {
              "etcd": { "servers": ["e:2379"], "sslEnable": true, "authType": "Noauth", "cafile": "/etcd/ca", "user": "u", "password": "p" },
              "mutualTLSConfig": { "rootCAFile": "/m/ca", "moduleCertFile": "/m/crt", "moduleKeyFile": "/m/key" }
            }
            """).Settings;

        Assert.Equal(("/m/ca", "/m/crt", "/m/key"), (settings["Store:Etcd:CaFile"], settings["Store:Etcd:CertFile"], settings["Store:Etcd:KeyFile"]));
        Assert.False(settings.ContainsKey("Store:Etcd:User"));
    }

    [Theory]
    [InlineData("u", "p", true)]
    [InlineData("u", "", false)]
    [InlineData("", "p", false)]
    public void EtcdWithoutSsl_TakesUserAndPassword_OnlyWhenBothAreGiven(string user, string password, bool taken)
    {
        var settings = Read($$"""{ "etcd": { "servers": ["e:2379"], "user": "{{user}}", "password": "{{password}}", "cafile": "/etcd/ca" } }""").Settings;

        Assert.Equal(taken, settings.ContainsKey("Store:Etcd:User"));
        Assert.Equal(taken, settings.ContainsKey("Store:Etcd:Password"));
        if (taken)
        {
            Assert.Equal((user, password), (settings["Store:Etcd:User"], settings["Store:Etcd:Password"]));
        }

        Assert.False(settings.ContainsKey("Store:Etcd:CaFile"));
    }

    [Theory]
    [InlineData("""["10.0.0.2:2379", "10.0.0.1:2379"]""", "/az1/", true)]
    [InlineData("""["HTTP://10.0.0.1:2379/", "10.0.0.2:2379"]""", "az1", true)]
    [InlineData("""["10.0.0.1:2379"]""", "az1", false)]
    [InlineData("""["10.0.0.1:2379", "10.0.0.3:2379"]""", "az1", false)]
    [InlineData("""["10.0.0.1:2379", "10.0.0.2:2379"]""", "az2", false)]
    [InlineData("""["10.0.0.1:2379", "10.0.0.2:2379"]""", "", false)]
    public void MetaEtcd_IsTakenOnlyWhenItIsTheSameEtcdAndPrefix(string servers, string prefix, bool same)
    {
        var file = Write($$"""
            {
              "etcd": { "servers": ["10.0.0.1:2379", "10.0.0.2:2379"], "azPrefix": "az1" },
              "metaEtcdEnable": true,
              "metaEtcd": { "servers": {{servers}}, "azPrefix": "{{prefix}}", "user": "" }
            }
            """);

        if (same)
        {
            Assert.DoesNotContain(ConfigFile.Read(file, null).Unused, m => m.StartsWith("metaEtcd", StringComparison.Ordinal));
            return;
        }

        var refused = Refused(file);
        Assert.StartsWith($"{file}: metaEtcd (", refused, StringComparison.Ordinal);
        Assert.Contains($", azPrefix '{prefix}') differs from etcd (http://10.0.0.1:2379,http://10.0.0.2:2379, azPrefix 'az1'): ", refused, StringComparison.Ordinal);
        Assert.EndsWith("Give metaEtcd the servers and azPrefix of etcd, or set metaEtcdEnable to false", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void MetaEtcd_OfTheSameMembers_IsTheSameEtcd_WhateverItsOwnSslEnable_AndItsMembersAreRead()
    {
        var config = Read("""{ "etcd": { "servers": ["10.0.0.1:2379"] }, "metaEtcdEnable": true, "metaEtcd": { "servers": ["10.0.0.1:2379"], "sslEnable": true, "password": "p" } }""");

        Assert.Equal("http://10.0.0.1:2379", config.Settings["Store:Etcd:Endpoints:0"]);
        Assert.Empty(config.Unused);
    }

    [Fact]
    public void MetaEtcdOfOtherMembers_IsRefused_NamingBothAsTheyWouldBeReached()
    {
        var file = Write("""
            {
              "etcd": { "servers": ["10.0.0.1:2379"] },
              "metaEtcdEnable": true,
              "metaEtcd": { "servers": ["10.0.0.3:2379", "10.0.0.4:2379"], "sslEnable": true, "azPrefix": "az9" }
            }
            """);

        Assert.Equal(
            $"{file}: metaEtcd (https://10.0.0.3:2379,https://10.0.0.4:2379, azPrefix 'az9') differs from etcd (http://10.0.0.1:2379, azPrefix ''): "
            + "MetaService keeps every record in one etcd (openYuanrong's deployments point both at the same etcd and prefix; docs/compatibility.md, One etcd client). "
            + "Give metaEtcd the servers and azPrefix of etcd, or set metaEtcdEnable to false",
            Refused(file));
    }

    [Theory]
    [InlineData(""" "metaEtcdEnable": false, "metaEtcd": { "servers": ["10.9.9.9:2379"] } """)]
    [InlineData(""" "metaEtcdEnable": true, "metaEtcd": null """)]
    [InlineData(""" "metaEtcdEnable": true """)]
    public void MetaEtcdOff_OrAbsent_IsNotCompared(string members)
    {
        var config = Read($$"""{ {{Etcd}}, {{members}} }""");

        Assert.Equal("http://10.0.0.1:2379", config.Settings["Store:Etcd:Endpoints:0"]);
    }

    [Fact]
    public void TheLimits_AreTheMetaSettings_AsTheOriginalReadsThem()
    {
        var settings = Read($$"""
            {
              {{Etcd}},
              "clusters": " c1, ,c2 ",
              "runtimeType": ["java11", "python3.10"],
              "decryptAlgorithm": "NO_CRYPTO",
              "urn": { "prefix": "sn", "zone": "cn" },
              "function": {
                "default": {
                  "envPrefix": "env-", "timeout": 600, "defaultMinInstance": "0", "defaultMaxInstance": "100", "defaultConcurrentNum": "10",
                  "maxInstanceUpperLimit": "1000", "concurrentNumUpperLimit": 999, "minCpu": 300, "maxCpu": 16000, "minMemory": 128, "maxMemory": 1073741824
                },
                "versionMax": 8, "instanceLabelMax": 100, "layerMax": 1
              }
            }
            """).Settings;

        var expected = new Dictionary<string, string?>
        {
            ["Meta:Clusters:0"] = "c1",
            ["Meta:Clusters:1"] = "c2",
            ["Meta:Runtimes:0"] = "java11",
            ["Meta:Runtimes:1"] = "python3.10",
            ["Meta:DecryptAlgorithm"] = "NO_CRYPTO",
            ["Meta:UrnPrefix"] = "sn",
            ["Meta:UrnZone"] = "cn",
            ["Meta:EnvPrefix"] = "env-",
            ["Meta:DefaultTimeout"] = "600",
            ["Meta:DefaultMinInstance"] = "0",
            ["Meta:DefaultMaxInstance"] = "100",
            ["Meta:DefaultConcurrentNum"] = "10",
            ["Meta:MaxInstanceUpperLimit"] = "1000",
            ["Meta:ConcurrentNumUpperLimit"] = "999",
            ["Meta:MinCpu"] = "300",
            ["Meta:MaxCpu"] = "16000",
            ["Meta:MinMemory"] = "128",
            ["Meta:MaxMemory"] = "1073741824",
            ["Meta:VersionMax"] = "8",
            ["Meta:InstanceLabelMax"] = "100",
            ["Meta:LayerMax"] = "1",
        };
        Assert.Equal(expected, settings.Where(s => s.Key.StartsWith("Meta:", StringComparison.Ordinal)).ToDictionary());
    }

    [Theory]
    [InlineData("0", "900")]
    [InlineData("-1", "900")]
    [InlineData("1", "1")]
    public void ATimeoutOfZeroOrLess_IsTheOriginalsDefault(string timeout, string expected)
    {
        Assert.Equal(expected, Read($$"""{ {{Etcd}}, "function": { "default": { "timeout": {{timeout}} } } }""").Settings["Meta:DefaultTimeout"]);
    }

    [Fact]
    public void AFileOfEtcdAlone_GivesTheStoreAlone()
    {
        Assert.Equal(["Store:Etcd:Endpoints:0", "Store:Kind"], Read($$"""{ {{Etcd}} }""").Settings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMissingFile_StopsTheStart_NamingItsFlag()
    {
        var file = _files.File("absent.json");

        Assert.Equal($"{file} (-config_path) does not exist: give the path of openYuanrong's file", Refused(file));
    }

    [Fact]
    public void MembersLeftEmptyOrAbsent_GiveNoSetting()
    {
        var settings = Read($$"""{ {{Etcd}}, "clusters": "", "urn": { "prefix": "" }, "decryptAlgorithm": null }""").Settings;

        Assert.Equal(["Store:Etcd:Endpoints:0", "Store:Kind"], settings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheMembersNothingRead_AreUnused_AndHttpsIsOffWithoutSslEnable()
    {
        var config = Read($$"""{ {{Etcd}}, "bucket": [], "function": { "aliasMax": 8, "versionMax": 2 }, "mutualSSLConfig": { "sslEnable": false, "rootCAFile": "" } }""");

        Assert.Null(config.Tls);
        Assert.Equal(["bucket", "function.aliasMax", "mutualSSLConfig.rootCAFile"], config.Unused);
    }

    private ConfigFile Read(string text, string? podIp = null) => ConfigFile.Read(Write(text), podIp);

    private string Write(string text) => _files.Write("config.json", text);

    /// <summary>The message of the start refused for the file <paramref name="file"/>.</summary>
    private static string Refused(string file) => Assert.Throws<SettingsException>(() => ConfigFile.Read(file, null)).Message;
}