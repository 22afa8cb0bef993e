using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

using MetaService.Server.OriginalConfig;
using MetaService.Server.Tests.Observability;
using MetaService.Tests.Pki;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging;

namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>
/// The server started with openYuanrong's flags (<see cref="OriginalConfigRegistration.AddOriginalConfig"/>), in the
/// test's process on loopback: the files' settings below the command line, the listeners of <c>server</c> and
/// <c>mutualSSLConfig</c> (with the original's TLS health port), and what the start-up log says about the files.
/// </summary>
public sealed class OriginalConfigRegistrationTests : IDisposable
{
    private readonly FilesFolder _files = new();
    private readonly LogCapture _log = new();

    public void Dispose()
    {
        _log.Dispose();
        _files.Dispose();
    }

    [Fact]
    public void WithoutTheFlags_NothingChanges()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection([new(OriginalConfigRegistration.ConfigPathKey, ""), new(OriginalConfigRegistration.LogConfigPathKey, null)]);
        var (sources, services) = (builder.Configuration.Sources.Count, builder.Services.Count);

        builder.AddOriginalConfig();

        Assert.Equal((sources, services), (builder.Configuration.Sources.Count, builder.Services.Count));
    }

    [Fact]
    public void TheFilesSettings_ComeJustBelowTheCommandLine()
    {
        var config = Config(""" "function": { "versionMax": 8, "default": { "minCpu": 300 } } """);
        var log = Write("log.json", """{ "level": "WARN" }""");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = CommandLineSwitches.Expand(["-config_path", config, $"--log_config_path={log}", "--Meta:VersionMax=5"]),
        });

        builder.AddOriginalConfig();

        Assert.Equal("5", builder.Configuration["Meta:VersionMax"]);
        Assert.Equal("300", builder.Configuration["Meta:MinCpu"]);
        Assert.Equal("etcd", builder.Configuration["Store:Kind"]);
        Assert.Equal("Warning", builder.Configuration["Logging:LogLevel:Default"]);
        var sources = builder.Configuration.Sources.ToList();
        var files = Assert.Single(sources, s => s is MemoryConfigurationSource { InitialData: { } data } && data.Any(d => d.Key == "Meta:MinCpu"));
        Assert.IsType<CommandLineConfigurationSource>(sources[sources.IndexOf(files) + 1]);
    }

    [Fact]
    public void WithoutACommandLine_TheFilesSettingsComeLast()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration.AddInMemoryCollection([new(OriginalConfigRegistration.ConfigPathKey, Config(""" "function": { "versionMax": 8 } """)), new("Meta:VersionMax", "5")]);

        builder.AddOriginalConfig();

        Assert.Equal("8", builder.Configuration["Meta:VersionMax"]);
    }

    [Fact]
    public async Task TheServer_ListensWhereServerSays_AndTheStartLogNamesWhatItDoesNotUse_AndThatAuthenticationIsOff()
    {
        var missingLog = _files.File("absent-log.json");
        var config = Config(""" "server": { "ip": "127.0.0.1", "port": 0 }, "bucket": [], "scc": { "enable": false } """);

        await using var app = await StartAsync(["-config_path", config, "-log_config_path", missingLog]);

        var listening = new Uri(Assert.Single(app.Urls));
        Assert.Equal(("http", "127.0.0.1"), (listening.Scheme, listening.Host));
        using var http = new HttpClient { BaseAddress = listening };
        Assert.Equal("main", await http.GetStringAsync("/", TestContext.Current.CancellationToken));
        Assert.Single(_log.Lines, l => l.Contains($"| {missingLog} (-log_config_path) does not exist; the default log settings are kept", StringComparison.Ordinal));
        Assert.Single(_log.Lines, l => l.Contains($"| openYuanrong settings MetaService does not use: {config}: bucket, scc |", StringComparison.Ordinal));
        Assert.Single(_log.Lines, l => l.Contains("| authentication is off: whoever reaches http://127.0.0.1:0 may create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyALogFile_ChangesTheLevel_AndNotTheListeners()
    {
        var log = Write("log.json", """{ "level": "INFO", "filepath": "/var/log" }""");

        await using var app = await StartAsync(["-log_config_path", log, "--urls=http://127.0.0.1:0"]);

        Assert.Equal("http", new Uri(Assert.Single(app.Urls)).Scheme);
        Assert.Single(_log.Lines, l => l.Contains($"| openYuanrong settings MetaService does not use: {log}: filepath |", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("authentication is off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutServerIp_TheServerListensOnPodIp_AndAFileWhollyUsedIsNotMentioned()
    {
        var config = Config(""" "server": { "port": 0 } """);
        Environment.SetEnvironmentVariable("POD_IP", "127.0.0.1");
        try
        {
            await using var app = await StartAsync(["-config_path", config]);

            Assert.Equal("127.0.0.1", new Uri(Assert.Single(app.Urls)).Host);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POD_IP", null);
        }

        Assert.DoesNotContain(_log.Lines, l => l.Contains("-log_config_path", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("does not use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhatBothFilesLeaveUnused_IsNamedInOneLine()
    {
        var config = Config(""" "server": { "ip": "127.0.0.1", "port": 0 }, "bucket": [] """);
        var log = Write("log.json", """{ "level": "INFO", "filepath": "/var/log" }""");

        await using var app = await StartAsync(["-config_path", config, "-log_config_path", log]);

        Assert.Single(_log.Lines, l => l.Contains($"| openYuanrong settings MetaService does not use: {config}: bucket; {log}: filepath |", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmptyConfigPath_IsNone()
    {
        var log = Write("log.json", """{ "level": "INFO" }""");

        await using var app = await StartAsync(["-config_path", "", "-log_config_path", log, "--urls=http://127.0.0.1:0"]);

        Assert.Equal("http", new Uri(Assert.Single(app.Urls)).Scheme);
    }

    [Fact]
    public async Task WithoutSslEnable_TheTlsHealthPortChangesNothing()
    {
        // The TLS health port set to the main port: without sslEnable there is no health listener, so the main port keeps
        // answering the API.
        var (app, port) = await StartOnAFreePortAsync(port =>
            ["-config_path", Config($$""" "server": { "ip": "127.0.0.1", "port": {{port}} } """), $"--Original:TlsHealthPort={port}"]);
        await using var stopped = app;

        using var http = new HttpClient();
        Assert.Equal("main", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithSslEnable_TheMainPortIsHttps_AndTheHealthPortAnswersHealthzAlone_WithTheChainToTheRoot()
    {
        var pki = TlsCertificates.Create(_files.Path);
        pki.WriteServer("CN=module");

        var (app, health) = await StartWithHealthPortAsync(pki, "NoClientCert");
        await using var stopped = app;

        using var http = new HttpClient(pki.Handler());
        var main = new Uri(Assert.Single(app.Urls, u => new Uri(u).Port != health));
        Assert.Equal("https", main.Scheme);
        Assert.Equal("main", await http.GetStringAsync(main, TestContext.Current.CancellationToken));
        var healthz = new UriBuilder(main) { Port = health, Path = "/healthz" }.Uri;
        Assert.Equal("ok", await http.GetStringAsync(healthz, TestContext.Current.CancellationToken));
        using var api = await http.GetAsync(new UriBuilder(main) { Port = health, Path = "/" }.Uri, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(
            $$"""{"code":404,"message":"the health port {{health}} answers GET /healthz only; the API is on the main port"}""",
            JsonNode.Parse(await api.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.ToJsonString());
        Assert.Single(_log.Lines, l => l.Contains("| authentication is off: whoever reaches https://127.0.0.1:0 may create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithClientCertificatesVerified_AuthenticationIsOn_AndAHealthPortOf0IsNone()
    {
        var pki = TlsCertificates.Create(_files.Path);
        pki.WriteServer("CN=module");
        var config = Config(Tls(pki, "RequireAndVerifyClientCert"));

        await using var app = await StartAsync(["-config_path", config, "--Original:TlsHealthPort=0"]);

        Assert.Equal("https", new Uri(Assert.Single(app.Urls)).Scheme);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("authentication is off", StringComparison.Ordinal));
    }

    private Task<(WebApplication App, int HealthPort)> StartWithHealthPortAsync(TlsCertificates pki, string clientAuthType)
    {
        var config = Config(Tls(pki, clientAuthType));
        return StartOnAFreePortAsync(port => ["-config_path", config, $"--Original:TlsHealthPort={port}"]);
    }

    /// <summary>Starts the server with the <paramref name="args"/> of a port: a fixed number (the health port's 0 means
    /// none), one free a moment ago, and another if it was taken since.</summary>
    private async Task<(WebApplication App, int Port)> StartOnAFreePortAsync(Func<int, string[]> args)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                return (await StartAsync(args(port)), port);
            }
            catch (IOException taken) when (attempt < 5 && taken.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
            }
        }
    }

    private async Task<WebApplication> StartAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = CommandLineSwitches.Expand(args) });
        builder.Logging.ClearProviders().AddProvider(_log);
        builder.AddOriginalConfig();
        var app = builder.Build();
        app.MapGet("/", () => "main");
        app.MapGet("/healthz", () => "ok");
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static string Tls(TlsCertificates pki, string clientAuthType) => $$"""
        "server": { "ip": "127.0.0.1", "port": 0 },
        "mutualSSLConfig": {
          "sslEnable": true, "rootCAFile": "{{pki.CaFile}}", "moduleCertFile": "{{pki.CertificateFile}}", "moduleKeyFile": "{{pki.KeyFile}}",
          "clientAuthType": "{{clientAuthType}}"
        }
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A config.json with an etcd member (never reached: nothing here opens the store) and <paramref name="members"/>.</summary>
    private string Config(string members) => Write("config.json", $$"""{ "etcd": { "servers": ["127.0.0.1:2379"] }, {{members}} }""");

    private string Write(string name, string text) => _files.Write(name, text);
}