using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MetaService.Console.Tests;

/// <summary>
/// The built server as its own process on the embedded store (a fresh data directory), as a reader starts it, listening on
/// a loopback port it picks itself (port 0, read back from its "Now listening on" line): with API tokens on (the admin
/// token written to a bootstrap file in the data directory), or with authentication off. Gone, with its data, when
/// disposed. Also the HTTP API client the tests write through, as another client of the console would.
/// </summary>
public sealed partial class ConsoleServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;

    private ConsoleServer(Process process, Uri address, string dataDirectory, StringBuilder output, string? adminToken)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        _output = output;
        AdminToken = adminToken;
        _http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public string Url => Address.ToString().TrimEnd('/');

    public string DataDirectory { get; }

    /// <summary>The bootstrap admin token (null with authentication off).</summary>
    public string? AdminToken { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>A server with API tokens on or off, on the embedded store unless <paramref name="store"/> names another
    /// (e.g. <c>--store etcd --etcd-endpoints URL</c>). Its home is its data directory, so nothing of the machine user's
    /// home (such as <c>~/.aspnet</c>) is shared between servers.</summary>
    public static async Task<ConsoleServer> StartAsync(bool tokens, CancellationToken cancellationToken, params string[] store)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("metaservice-console-").FullName;
        var bootstrap = Path.Combine(dataDirectory, "admin.token");
        string[] auth = tokens ? ["--Auth:Mode", "token", "--Auth:BootstrapTokenFile", bootstrap] : [];
        try
        {
            var (process, address, output) = await LaunchAsync(dataDirectory, ["--urls", "http://127.0.0.1:0", "--data-dir", dataDirectory, .. store, .. auth], cancellationToken);
            var admin = tokens ? (await File.ReadAllTextAsync(bootstrap, cancellationToken)).Trim() : null;
            return new ConsoleServer(process, address, dataDirectory, output, admin);
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>The server once it listens; fails with what it printed when it exits first or does not listen within two
    /// minutes.</summary>
    private static async Task<(Process, Uri, StringBuilder)> LaunchAsync(string home, string[] arguments, CancellationToken cancellationToken)
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
        string[] all = [dll, .. arguments, "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"];
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
            return (process, await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken), output);
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
}