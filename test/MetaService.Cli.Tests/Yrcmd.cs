using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

using MetaService.Cli.Contexts;

namespace MetaService.Cli.Tests;

/// <summary>What one <c>yrmeta</c> run printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonNode Json() => JsonNode.Parse(Out) ?? throw new InvalidOperationException("printed JSON null");
}

/// <summary>Runs <c>yrmeta</c> in-process against a test server (or any handler), with its own environment. Without
/// <c>YRMETA_CONFIG</c> or <c>XDG_CONFIG_HOME</c> in it, the configuration file is one that does not exist (never the
/// user's own).</summary>
public sealed class Yrcmd(Func<X509Certificate2Collection?, HttpMessageHandler> handler, IReadOnlyDictionary<string, string>? environment = null)
{
    private readonly string _noConfig = Path.Combine(Path.GetTempPath(), "yrmeta-no-config-" + Guid.NewGuid().ToString("N"), "config.json");

    public Yrcmd(ServerFactory factory, IReadOnlyDictionary<string, string>? environment = null)
        : this(_ => factory.Server.CreateHandler(), environment)
    {
    }

    /// <summary>A run against the process's real network stack (with the CLI's own https trust), for unreachable or
    /// https servers.</summary>
    public static Yrcmd Network(IReadOnlyDictionary<string, string>? environment = null) => new(PrivateCa.Handler, environment);

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var ownConfig = environment is not null && (environment.ContainsKey("YRMETA_CONFIG") || environment.ContainsKey("XDG_CONFIG_HOME"));
        var host = new CliHost(output, error, name => environment?.GetValueOrDefault(name) ?? (name == "YRMETA_CONFIG" && !ownConfig ? _noConfig : null),
            (server, authorities) => new HttpClient(handler(authorities)) { BaseAddress = server });

        var exit = await Yrmeta.RunAsync(args, host, TestContext.Current.CancellationToken);

        return new CliRun(exit, output.ToString(), error.ToString());
    }
}

/// <summary>Spec files in a temporary folder of the test's own.</summary>
public sealed class SpecFolder : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("yrmeta-specs-").FullName;

    public string Write(string fileName, string text)
    {
        var path = Path.Combine(_path, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}

public static class Spec
{
    public static string Name() => "0-cli-fn" + Guid.NewGuid().ToString("N")[..8];

    public static string Json(string name, int cpu = 600) => $$"""
        {"name":"{{name}}","runtime":"python3.9","kind":"yrlib","handler":"handler.main","cpu":{{cpu}},"memory":512,
         "timeout":60,"environment":{"GREETING":"hi"},"storageType":"local","codePath":"/opt/code/hello"}
        """;

    public static string Yaml(string name) => $"""
        name: {name}
        runtime: python3.9
        kind: yrlib
        handler: handler.main
        cpu: 700
        memory: 256
        timeout: 60
        minInstance: 0
        maxInstance: 3
        environment:
          GREETING: "yes"
        storageType: local
        codePath: /opt/code/hello
        """;
}
/// <summary>A test class with its own server and spec folder, both removed when it is done.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected ServerFactory Server { get; } = new();

    protected SpecFolder Specs { get; } = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        Specs.Dispose();
        await Server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}