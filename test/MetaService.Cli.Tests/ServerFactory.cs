using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MetaService.Cli.Tests;

/// <summary>The real server on a fresh SQLite directory, deleted with the factory (as in the server tests).</summary>
public sealed class ServerFactory : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "metaservice-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Further settings (auth modes), applied after the store's.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>Starts the server in mode <c>token</c> with a bootstrap file; returns the admin token it made.</summary>
    public async Task<string> StartWithAdminTokenAsync()
    {
        var file = Path.Combine(DataDirectory, "admin.token");
        Settings["Auth:Mode"] = "token";
        Settings["Auth:BootstrapTokenFile"] = file;
        using (CreateClient())
        {
        }

        return (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Trim();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Store:DataDirectory", DataDirectory);
        builder.UseSetting("Store:Kind", "sqlite");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }
}