using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MetaService.Console.Tests;

/// <summary>
/// The server on the embedded store (a fresh data directory), listening on a loopback port it picks itself (port 0): with
/// API tokens on (the admin token written to a bootstrap file in the data directory), or with authentication off. Its
/// own <c>Program</c> in the test's process on Kestrel (so that mutation testing sees what the console tests cover), or,
/// asked for (<c>ownProcess</c>), the built server as its own process, with a home of its own, read back from its "Now
/// listening on" line. Gone, with its data, when disposed. Also the HTTP API client the tests write through, as another
/// client of the console would.
/// </summary>
public sealed partial class ConsoleServer : IAsyncDisposable
{
    private static readonly string[] Quiet = ["--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"];

    private readonly IAsyncDisposable _running;
    private readonly HttpClient _http;

    private ConsoleServer(IAsyncDisposable running, Uri address, string dataDirectory, string? adminToken)
    {
        _running = running;
        Address = address;
        DataDirectory = dataDirectory;
        AdminToken = adminToken;
        _http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public string Url => Address.ToString().TrimEnd('/');

    public string DataDirectory { get; }

    /// <summary>The bootstrap admin token (null with authentication off).</summary>
    public string? AdminToken { get; }

    /// <summary>A server with API tokens on or off, on the embedded store unless <paramref name="store"/> names another
    /// (e.g. <c>--store etcd --etcd-endpoints URL</c>); in its own process when <paramref name="ownProcess"/>, whose home
    /// is then its data directory, so that nothing of the machine user's home (such as <c>~/.aspnet</c>) is shared
    /// between servers.</summary>
    public static async Task<ConsoleServer> StartAsync(bool tokens, CancellationToken cancellationToken, string[]? store = null, bool ownProcess = false)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("metaservice-console-").FullName;
        var bootstrap = Path.Combine(dataDirectory, "admin.token");
        string[] auth = tokens ? ["--Auth:Mode", "token", "--Auth:BootstrapTokenFile", bootstrap] : [];
        try
        {
            string[] arguments = ["--urls", "http://127.0.0.1:0", "--data-dir", dataDirectory, .. store ?? [], .. auth];
            var (running, address) = ownProcess ? await LaunchAsync(dataDirectory, arguments, cancellationToken) : await HostAsync(arguments, cancellationToken);
            var admin = tokens ? (await File.ReadAllTextAsync(bootstrap, cancellationToken)).Trim() : null;
            return new ConsoleServer(running, address, dataDirectory, admin);
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>A new API token of <paramref name="tenant"/> with <paramref name="role"/>, made by the admin.</summary>
    public async Task<string> CreateTokenAsync(string tenant, string role)
    {
        var body = new JsonObject { ["tenant"] = tenant, ["role"] = role, ["description"] = $"console test {role} of {tenant}" };
        var answer = await SendAsync(HttpMethod.Post, "/serverless/v1/tokens", AdminToken, null, body);
        return (string)answer["token"]!["token"]!;
    }

    /// <summary>Creates a function through the API as the admin (or anyone, with authentication off); its revisionId.</summary>
    public async Task<string> CreateFunctionAsync(string tenant, JsonObject body) =>
        (string)(await SendAsync(HttpMethod.Post, "/serverless/v1/functions", AdminToken, tenant, body))["function"]!["revisionId"]!;

    /// <summary>Updates a function's draft; its new revisionId.</summary>
    public async Task<string> UpdateFunctionAsync(string tenant, string name, JsonObject body) =>
        (string)(await SendAsync(HttpMethod.Put, $"/serverless/v1/functions/{Uri.EscapeDataString(name)}", AdminToken, tenant, body))["result"]!["revisionId"]!;

    public Task<JsonObject> SendAsync(HttpMethod method, string path, string? tenant, JsonObject? body) => SendAsync(method, path, AdminToken, tenant, body);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string? token, string? tenant, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant-Id", tenant);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject ?? [];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _running.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>The server's <c>Program</c> in the test's process, with the settings of <paramref name="arguments"/>, once
    /// it listens.</summary>
    private static async Task<(IAsyncDisposable, Uri)> HostAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var host = new InProcess(InProcess.Settings([.. arguments, .. Quiet, "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning"]));
        try
        {
            host.UseKestrel();
            await Task.Run(host.StartServer, cancellationToken);
            return (host, new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server once it listens; fails with what it printed when it exits first or does not listen within two
    /// minutes.</summary>
    private static async Task<(IAsyncDisposable, Uri)> LaunchAsync(string home, string[] arguments, CancellationToken cancellationToken)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = home;
        string[] all = [dll, .. arguments, .. Quiet];
        foreach (var argument in all)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("the server exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (new OwnProcess(process), await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await StopAsync(process);
            string printed;
            lock (output)
            {
                printed = output.ToString();
            }

            throw new InvalidOperationException($"the server did not start ({e.Message}); it printed:\n{printed}", e);
        }
        catch
        {
            // Given up on (the test cancelled): a server that never answered must not outlive the test.
            await StopAsync(process);
            throw;
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s]+)")]
    private static partial Regex Listening();

    /// <summary>The server as its own process: stopped (killed) when disposed.</summary>
    private sealed class OwnProcess(Process process) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(StopAsync(process));
    }

    /// <summary>The server's own <c>Program</c> in the test's process, with settings given as a command line would.</summary>
    private sealed class InProcess(Dictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        /// <summary>The settings of <c>--key value</c> pairs, the server's short switches among them.</summary>
        public static Dictionary<string, string> Settings(string[] arguments)
        {
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < arguments.Length; i += 2)
            {
                var key = arguments[i] switch
                {
                    "--data-dir" => "Store:DataDirectory",
                    "--store" => "Store:Kind",
                    "--etcd-endpoints" => "Store:Etcd:Endpoints:0",
                    var name => name[2..],
                };
                settings[key] = arguments[i + 1];
            }

            return settings;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As the built server starts without ASPNETCORE_ENVIRONMENT (the factory's default is Development).
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}