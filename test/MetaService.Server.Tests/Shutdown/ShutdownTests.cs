using MetaService.Server.Shutdown;
using MetaService.Server.Startup;
using MetaService.Server.Tests.Observability;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Tests.Shutdown;

public sealed class ShutdownTests
{
    [Fact]
    public async Task DrainTimeout_ComesFromConfiguration()
    {
        await using var factory = new MetaServiceFactory();
        await using var server = factory.WithWebHostBuilder(b => b.UseSetting("Server:ShutdownTimeoutSeconds", "7"));

        var options = server.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), options.ShutdownTimeout);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("0", 0)]
    [InlineData("3600", 3600)]
    [InlineData("0.5", 0.5)]
    public void DrainTimeout_IsFrom0To3600Seconds_Default30(string? seconds, double expected)
    {
        using var services = Services(seconds).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(expected), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.001")]
    [InlineData("3600.5")]
    public void ADrainTimeoutOutOfRange_StopsTheStart(string seconds)
    {
        var refused = Assert.Throws<SettingsException>(() => Services(seconds));

        Assert.Equal($"{GracefulShutdown.TimeoutKey} must be between 0 and 3600 seconds; it is {double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)}.", refused.Message);
    }

    [Fact]
    public async Task Stopping_DrainsThenClosesTheStore_AndKeepsWhatWasWritten()
    {
        var factory = new MetaServiceFactory();
        var (server, capture) = LogCapture.Attach(factory);
        var name = Names.Yrlib();
        using (var api = new Api(server.CreateClient()))
        {
            await api.CreateOkAsync(Bodies.Yrlib(name));
        }

        await server.DisposeAsync();
        await using var restarted = await factory.RestartAsync();

        var stopping = capture.Lines.ToList().FindIndex(l => l.Contains("stopping: no new connections", StringComparison.Ordinal));
        var stopped = capture.Lines.ToList().FindIndex(l => l.Contains("stopped: requests drained; closing the store", StringComparison.Ordinal));
        Assert.InRange(stopping, 0, stopped - 1);
        using var again = restarted.CreateApi();
        Assert.Equal(name, (string)(await again.GetOkAsync(name))["name"]!);
    }

    private static ServiceCollection Services(string? seconds)
    {
        var services = new ServiceCollection();
        services.AddGracefulShutdown(new ConfigurationBuilder().AddInMemoryCollection([new(GracefulShutdown.TimeoutKey, seconds)]).Build());
        return services;
    }
}