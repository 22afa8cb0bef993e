using MetaService.Server.Startup;

using Microsoft.Extensions.Configuration;

namespace MetaService.Server.Tests.Startup;

/// <summary>Keys under the checked sections that no setting reads (<see cref="SettingsKeys.Unknown"/>), each named
/// once, with the key it most likely meant when one is close (an edit distance, without regard to case, of at most
/// 2 or a quarter of the key's length).</summary>
public sealed class SettingsKeysTests
{
    [Fact]
    public void TheKeysOfEverySetting_InAnyCase_AreKnown()
    {
        Assert.Empty(Unknown(
            "Meta:VersionMax", "meta:minCPU", "Store:Kind", "Store:DataDirectory", "Store:Sqlite:MaxBatch", "Store:Etcd:Endpoints:0",
            "Store:Etcd:KeyPrefix", "Store:View:ChangeFeedBytes", "Limits:" + nameof(Server.Limits.LimitsOptions.RequestsPerSecond), "Auth:Mode",
            "Auth:OpenYuanrong:" + nameof(Server.Auth.OpenYuanrongOptions.DataKey), "Auth:Mtls:CaFile", "Tls:CertificateFile",
            "Server:MaxRequestBodyBytes", "Server:AnswerCacheBytes", "Server:ShutdownTimeoutSeconds", "Elsewhere:Anything"));
    }

    [Theory]
    [InlineData("Meta:VersonMax", "Meta:VersonMax is not a setting and is ignored (did you mean Meta:VersionMax?)")]
    [InlineData("Store:KINDX", "Store:KINDX is not a setting and is ignored (did you mean Store:Kind?)")]
    [InlineData("Store:Kindxy", "Store:Kindxy is not a setting and is ignored (did you mean Store:Kind?)")]
    [InlineData("Store:Kindxyz", "Store:Kindxyz is not a setting and is ignored (the Store settings are listed in docs/configuration.md)")]
    [InlineData("Store:DataDirectoryWXYZ", "Store:DataDirectoryWXYZ is not a setting and is ignored (did you mean Store:DataDirectory?)")]
    [InlineData("Store:DataDirectoryVWXYZ", "Store:DataDirectoryVWXYZ is not a setting and is ignored (the Store settings are listed in docs/configuration.md)")]
    [InlineData("Store:Sqlite:MaxBatchh", "Store:Sqlite:MaxBatchh is not a setting and is ignored (did you mean Store:Sqlite:MaxBatch?)")]
    [InlineData("Server:ShutdownTimeoutSecond", "Server:ShutdownTimeoutSecond is not a setting and is ignored (did you mean Server:ShutdownTimeoutSeconds?)")]
    [InlineData("Tls:Zzz", "Tls:Zzz is not a setting and is ignored (the Tls settings are listed in docs/configuration.md)")]
    public void AKeyNoSettingReads_IsNamedOnce_WithTheLikelyKeyWhenOneIsClose(string key, string expected)
    {
        Assert.Equal([expected], Unknown(key, "Meta:VersionMax"));
    }

    private static List<string> Unknown(params string[] keys) =>
        [.. SettingsKeys.Unknown(new ConfigurationBuilder().AddInMemoryCollection(keys.Select(k => new KeyValuePair<string, string?>(k, "1"))).Build())];
}