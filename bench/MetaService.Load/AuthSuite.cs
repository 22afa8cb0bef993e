using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MetaService.Load;

/// <summary>
/// A1–A3 (issue 17): what authentication and TLS cost, each beside its baseline measured in the same run. Each run
/// starts three servers on fresh data directories, one at a time: plain (<c>http://</c>, mode <c>none</c>), token (mode
/// <c>token</c>, every request with an editor token of tenant <c>default</c>) and TLS (<c>https://</c>, mode <c>none</c>, a
/// certificate the suite makes). On plain and token: GET of one function (wrk, 64 keep-alive connections), then durable
/// updates (32 closed-loop clients, as P1); on TLS the same GET. Odd runs start them in the reverse order (TLS, token,
/// plain), so that neither side of a ratio is always measured first.
/// </summary>
internal static class AuthSuite
{
    private const int Clients = 32;
    private const string Function = "0-bench-auth-get";
    private const string GetPath = Api.Functions + "/" + Function;

    public static async Task<Table> RunAsync(Settings settings)
    {
        var (certificateFile, keyFile) = Certificate(Path.Combine(settings.Work, "auth-tls"));
        var plain = new Figures();
        var token = new Figures();
        var tls = new Figures();
        for (var run = 0; run < settings.Runs; run++)
        {
            var order = new List<Func<Task>>
            {
                async () => await MeasureAsync(settings, Fresh(settings, run, "plain"), plain, updates: true, auth: false),
                async () => await MeasureAsync(settings, Fresh(settings, run, "token"), token, updates: true, auth: true),
                async () => await MeasureAsync(settings, Fresh(settings, run, "tls"), tls, updates: false, auth: false, (certificateFile, keyFile)),
            };
            if (run % 2 == 1)
            {
                order.Reverse();
            }

            foreach (var measure in order)
            {
                await measure();
            }

            Console.WriteLine($"run {run + 1} ({(run % 2 == 1 ? "tls, token, plain" : "plain, token, tls")}): GET plain {plain.Gets[^1]:0}/s, token {token.Gets[^1]:0}/s, "
                + $"tls {tls.Gets[^1]:0}/s; updates plain {plain.Updates[^1]:0}/s, token {token.Updates[^1]:0}/s");
        }

        var table = new Table($"A1–A3 authentication and TLS, embedded store, median of {settings.Runs} runs × {settings.Seconds} s (alternating order)");
        Row(table, "A1", "GET one function, wrk 64 connections, `token` auth (editor token)", token.Gets, plain.Gets, "no auth", 0.90);
        Row(table, "A2", $"durable updates/s, {Clients} clients, `token` auth (editor token)", token.Updates, plain.Updates, "no auth", 0.90);
        Row(table, "A3", "GET one function over TLS, wrk 64 keep-alive connections", tls.Gets, plain.Gets, "plain HTTP", 0.70);
        return table;
    }

    private static async Task MeasureAsync(Settings settings, string directory, Figures figures, bool updates, bool auth, (string Certificate, string Key)? https = null)
    {
        var bootstrap = Path.Combine(directory, "admin.token");
        string[] mode = auth ? ["--Auth:Mode", "token", "--Auth:BootstrapTokenFile", bootstrap] : [];
        using var server = https is { } files
            ? await ServerProcess.StartMetaHttpsAsync(directory, files.Certificate, files.Key, mode)
            : await ServerProcess.StartMetaAsync(directory, "/healthz", mode);
        using var client = server.Client();
        string[] headers = [];
        if (auth)
        {
            var editor = await EditorTokenAsync(client, (await File.ReadAllTextAsync(bootstrap)).Trim());
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", editor);
            headers = [$"Authorization: Bearer {editor}"];
        }

        await Api.CreateAsync(client, Function);
        var get = new Uri(server.Address, GetPath);
        await Generator.WrkAsync(get, 64, Math.Max(1, settings.WarmupSeconds), headers);
        figures.Gets.Add(await Generator.WrkAsync(get, 64, settings.Seconds, headers));
        if (!updates)
        {
            return;
        }

        var functions = await Api.CreateManyAsync(client, "0-bench-auth-u", Clients);
        var (result, _) = await Generator.MeasuredUpdatesAsync(client, functions, settings);

        figures.Updates.Add(result.PerSecond);
    }

    /// <summary>An editor token of tenant <c>default</c>, made through the API with the bootstrap admin token.</summary>
    private static async Task<string> EditorTokenAsync(HttpClient client, string admin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/serverless/v1/tokens", UriKind.Relative))
        {
            Content = new StringContent("""{"tenant":"default","role":"editor","description":"bench auth suite"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(body)?["token"]?["token"]?.GetValue<string>() is { } token
            ? token
            : throw new InvalidOperationException($"creating an editor token answered {(int)response.StatusCode}: {body}");
    }

    private static string Fresh(Settings settings, int run, string kind)
    {
        var directory = Path.Combine(settings.Work, $"auth-{run}-{kind}");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>A self-signed P-256 certificate for 127.0.0.1, as PEM files in <paramref name="directory"/>.</summary>
    private static (string Certificate, string Key) Certificate(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=metaservice-bench", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var files = (Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"));
        File.WriteAllText(files.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(files.Item2, key.ExportPkcs8PrivateKeyPem());
        return files;
    }

    private static void Row(Table table, string id, string figure, List<double> measured, List<double> baseline, string baselineName, double target)
    {
        // Each run's pair is measured minutes apart at most: the median of per-run ratios resists the machine's other
        // tenants better than the ratio of the medians.
        var ratio = Table.Median(measured.Zip(baseline, (m, b) => m / b));
        table.Add(id, figure, Table.Rate(Table.Median(measured)), $"{Table.Rate(Table.Median(baseline))} {baselineName}",
            Table.Ratio(ratio) + " (median of per-run ratios)", $"≥ {target:0.00}×", Table.Met(ratio >= target));
    }

    private sealed class Figures
    {
        public List<double> Gets { get; } = [];

        public List<double> Updates { get; } = [];
    }
}