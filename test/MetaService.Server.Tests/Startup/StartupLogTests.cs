using MetaService.Etcd;
using MetaService.Server.Startup;
using MetaService.Server.Tests.Observability;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.Startup;

/// <summary>The first lines an operator reads (<see cref="StartupLog"/>): each misspelled key, then one line naming the
/// version, the store and the listen URLs.</summary>
public sealed class StartupLogTests
{
    [Theory]
    [InlineData(null, null, "./data")]
    [InlineData("sqlite", "/var/lib/meta", "/var/lib/meta")]
    [InlineData("SQLite", "relative/dir", "relative/dir")]
    public void TheEmbeddedStore_IsNamedByItsFile(string? kind, string? directory, string expected)
    {
        Assert.Equal("the embedded store " + Path.Combine(Path.GetFullPath(expected), "meta.db"), Describe(new() { ["Store:Kind"] = kind, ["Store:DataDirectory"] = directory }));
    }

    [Theory]
    [InlineData("etcd", "/az1/", "etcd http://a:2379,http://b:2379 (prefix /az1)")]
    [InlineData("ETCD", "az1", "etcd http://a:2379,http://b:2379 (prefix /az1)")]
    [InlineData("etcd", "", "etcd http://a:2379,http://b:2379 (no key prefix)")]
    [InlineData("etcd", null, "etcd http://a:2379,http://b:2379 (no key prefix)")]
    public void Etcd_IsNamedByItsMembers_AndItsPrefix(string kind, string? prefix, string expected)
    {
        Assert.Equal(expected, Describe(new()
        {
            ["Store:Kind"] = kind,
            ["Store:Etcd:Endpoints:0"] = "http://a:2379",
            ["Store:Etcd:Endpoints:1"] = "http://b:2379",
            ["Store:Etcd:KeyPrefix"] = prefix,
        }));
    }

    [Fact]
    public async Task AtStart_EachMisspelledKeyIsWarned_ThenOneLineNamesTheVersionStoreAndUrls()
    {
        using var capture = new LogCapture();
        var directory = Path.Combine(Path.GetTempPath(), "metaservice-startlog-absent");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection([new("urls", "http://127.0.0.1:0"), new("Meta:VersonMax", "3"), new("Store:DataDirectory", directory)]);
        builder.Logging.ClearProviders().AddProvider(capture);
        builder.Services.AddStartupLog();
        await using var app = builder.Build();

        await app.StartAsync(TestContext.Current.CancellationToken);

        var url = Assert.Single(app.Urls);
        Assert.Single(capture.Lines, l => l.StartsWith($"{StartupLog.Category} | Meta:VersonMax is not a setting and is ignored (did you mean Meta:VersionMax?)", StringComparison.Ordinal));
        var started = await capture.WaitForAsync(l => l.StartsWith(StartupLog.Category + " | MetaService ", StringComparison.Ordinal));
        Assert.StartsWith($"{StartupLog.Category} | MetaService {StartupLog.Version} on the embedded store {Path.Combine(directory, "meta.db")}, listening on {url} |", started, StringComparison.Ordinal);
        Assert.NotEqual("unknown", StartupLog.Version);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheStartLine_NamesEveryListenUrl()
    {
        using var capture = new LogCapture();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection([new("urls", "http://127.0.0.1:0;http://127.0.0.1:0"), new("Store:DataDirectory", Path.Combine(Path.GetTempPath(), "metaservice-startlog-absent"))]);
        builder.Logging.ClearProviders().AddProvider(capture);
        builder.Services.AddStartupLog();
        await using var app = builder.Build();

        await app.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, app.Urls.Count);
        var started = await capture.WaitForAsync(l => l.StartsWith(StartupLog.Category + " | MetaService ", StringComparison.Ordinal));
        Assert.Contains($", listening on {string.Join(", ", app.Urls)} |", started, StringComparison.Ordinal);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static string Describe(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddOptions<EtcdStoreOptions>().Bind(configuration.GetSection("Store:Etcd")).Services.BuildServiceProvider();
        return StartupLog.DescribeStore(configuration, services);
    }
}