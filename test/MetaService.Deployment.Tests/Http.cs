using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace MetaService.Deployment.Tests;

/// <summary>The few calls these tests make, in openYuanrong's wire format.</summary>
public sealed class Http(Uri server, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly HttpClient _client = new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string? traceId = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (traceId is not null)
        {
            request.Headers.Add("X-Trace-Id", traceId);
        }

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A yrlib function body; <paramref name="cpu"/> and <paramref name="runtime"/> vary per test.</summary>
    public static string Function(string name, int cpu = 600, string runtime = "python3.9") =>
        $$"""{"name":"{{name}}","runtime":"{{runtime}}","kind":"yrlib","handler":"handler.main","cpu":{{cpu}},"memory":512,"timeout":60,"storageType":"local","codePath":"/opt/code/x"}""";

    public static string Name() => "0-deploy-" + Guid.NewGuid().ToString("N")[..10];

    public void Dispose() => _client.Dispose();
}