using System.Text.Json.Nodes;

using MetaService.Docs.Tests.Kiota;
using MetaService.Docs.Tests.Kiota.Models;
using MetaService.Docs.Tests.Kiota.Serverless.V1.Functions;

using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace MetaService.Docs.Tests;

/// <summary>
/// A C# client that Kiota generates from the served document works against the server. The client is checked in
/// (<c>Kiota/</c>, compiled with this project) rather than generated and compiled at test time: one test regenerates it
/// from the served document and fails when the checked-in one differs, so a change of the document shows in review as a
/// change of the client.
/// </summary>
public sealed class KiotaClientTests
{
    /// <summary>Set to 1 to write the regenerated client over the checked-in one instead of failing.</summary>
    private const string RegenerateVariable = "METASERVICE_REGENERATE_KIOTA";

    /// <summary>The function routes under <c>/serverless/v1</c>: what the lifecycle test uses (the <c>/admin/v1</c>
    /// routes are the same ones).</summary>
    private static readonly string[] Generate =
    [
        "kiota", "generate", "--language", "CSharp", "--class-name", "MetaServiceApi", "--namespace-name", "MetaService.Docs.Tests.Kiota",
        "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning",
        "--include-path", "/serverless/v1/functions", "--include-path", "/serverless/v1/functions/**", "--exclude-path", "/serverless/v1/functions/reserve-instance",
    ];

    /// <summary>The lifecycle, one step after the other on one function; a new step is one method and one line.</summary>
    private static readonly Step[] Lifecycle =
    [
        new("create", CreateAsync),
        new("get", GetAsync),
        new("update (PUT)", UpdateAsync),
        new("patch (merge patch)", PatchAsync),
        new("publish", PublishAsync),
        new("delete", DeleteAsync),
    ];

    private static string CheckedIn => Path.Combine(Tool.RepositoryRoot, "test", "MetaService.Docs.Tests", "Kiota");

    [Fact]
    public async Task CheckedInClient_IsWhatKiotaGeneratesFromTheServedDocument()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(cancellationToken);
        var folder = Directory.CreateTempSubdirectory("metaservice-kiota-").FullName;
        try
        {
            var document = await ServedDocument.ReadAsync(server, cancellationToken);
            document["servers"] = new JsonArray(new JsonObject { ["url"] = ServedDocument.DefaultServer });
            var path = await ServedDocument.SaveAsync(document, folder, cancellationToken);
            var output = Path.Combine(folder, "client");

            var run = await Tool.RunAsync("dotnet", [.. Generate, "--openapi", path, "--output", output], new Dictionary<string, string> { ["KIOTA_UPDATE__DISABLED"] = "true" }, cancellationToken);

            Assert.True(run.ExitCode == 0, $"kiota failed (./scripts/test.sh restores it: dotnet tool restore)\n{run}");
            File.Delete(Path.Combine(output, "kiota-lock.json"));
            if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
            {
                Directory.Delete(CheckedIn, recursive: true);
                Directory.Move(output, CheckedIn);
                return;
            }

            var stale = Differences(Sources(output), Sources(CheckedIn));
            Assert.True(stale.Count == 0, $"the Kiota client in test/MetaService.Docs.Tests/Kiota is not what the served document gives ({string.Join(", ", stale.Take(10))}); "
                + $"regenerate it: {RegenerateVariable}=1 dotnet test --project test/MetaService.Docs.Tests -c Release --filter-method '*CheckedInClient*'");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task GeneratedClient_CreatesGetsUpdatesPublishesAndDeletesAFunction()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(cancellationToken);
        using var http = new HttpClient();
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = server.Url };
        var session = new Session(new MetaServiceApi(adapter).Serverless.V1.Functions, "0-kiota-" + Guid.NewGuid().ToString("N")[..8]);

        foreach (var step in Lifecycle)
        {
            session.Step = step.Name;
            await step.RunAsync(session, cancellationToken);
        }

        Assert.Equal("delete", session.Step);
    }

    private static async Task CreateAsync(Session session, CancellationToken cancellationToken)
    {
        var created = await session.Functions.PostAsync(
            new FunctionRequest
            {
                Name = session.Name,
                Runtime = "python3.9",
                Kind = "yrlib",
                Handler = "handler.main",
                Cpu = 600,
                Memory = 512,
                Timeout = 60,
                Environment = new FunctionRequest_environment { AdditionalData = new Dictionary<string, object> { ["GREETING"] = "hi" } },
                StorageType = "local",
                CodePath = "/opt/code/hello",
            },
            cancellationToken: cancellationToken);

        Assert.Equal(session.Name, created?.Function?.Name);
        session.RevisionId = Assert.IsType<string>(created!.Function!.RevisionId);
    }

    private static async Task GetAsync(Session session, CancellationToken cancellationToken)
    {
        var read = (await session.Functions[session.Name].GetAsync(cancellationToken: cancellationToken))?.Function;

        Assert.Equal(session.RevisionId, read?.RevisionId);
        Assert.Equal(600, read!.Cpu);
        Assert.Equal("hi", read.Environment?.AdditionalData["GREETING"]);
    }

    private static async Task UpdateAsync(Session session, CancellationToken cancellationToken)
    {
        var updated = (await session.Functions[session.Name].PutAsync(
            new FunctionRequest { RevisionId = session.RevisionId, Kind = "yrlib", Cpu = 1000, Memory = 1024, StorageType = "local", CodePath = "/opt/code/hello" },
            cancellationToken: cancellationToken))?.Result;

        Assert.Equal(1000, updated?.Cpu);
        Assert.NotEqual(session.RevisionId, updated!.RevisionId);
        session.RevisionId = updated.RevisionId!;
    }

    private static async Task PatchAsync(Session session, CancellationToken cancellationToken)
    {
        var patched = (await session.Functions[session.Name].PatchAsync(
            new FunctionRequest { RevisionId = session.RevisionId, Environment = new FunctionRequest_environment { AdditionalData = new Dictionary<string, object> { ["GREETING"] = "hello" } } },
            cancellationToken: cancellationToken))?.Result;

        Assert.Equal("hello", patched?.Environment?.AdditionalData["GREETING"]);
        Assert.Equal(1000, patched!.Cpu);
        Assert.Equal("/opt/code/hello", patched.CodePath);
        Assert.NotEqual(session.RevisionId, patched.RevisionId);
        session.RevisionId = patched.RevisionId!;
    }

    private static async Task PublishAsync(Session session, CancellationToken cancellationToken)
    {
        var published = (await session.Functions[session.Name].Versions.PostAsync(
            new PublishRequest { RevisionId = session.RevisionId, VersionNumber = "v1", VersionDesc = "first", Kind = "yrlib" },
            cancellationToken: cancellationToken))?.Function;
        var versions = await session.Functions[session.Name].Versions.GetAsync(cancellationToken: cancellationToken);

        Assert.Equal("v1", published?.VersionNumber);
        Assert.Contains("v1", versions!.Functions!.Select(f => f.VersionNumber));
    }

    private static async Task DeleteAsync(Session session, CancellationToken cancellationToken)
    {
        await session.Functions[session.Name].DeleteAsync(cancellationToken: cancellationToken);

        var gone = await Assert.ThrowsAsync<ErrorBody>(() => session.Functions[session.Name].GetAsync(cancellationToken: cancellationToken));
        Assert.Equal(404, gone.ResponseStatusCode);
        Assert.Equal(4115, gone.Code);
    }

    /// <summary>The C# sources under <paramref name="folder"/> by relative path, with Unix line ends.</summary>
    private static Dictionary<string, string> Sources(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => File.ReadAllText(f).ReplaceLineEndings("\n"), StringComparer.Ordinal);

    private static List<string> Differences(Dictionary<string, string> generated, Dictionary<string, string> checkedIn) =>
        [.. generated.Keys.Union(checkedIn.Keys).Order(StringComparer.Ordinal)
            .Where(f => !generated.TryGetValue(f, out var a) || !checkedIn.TryGetValue(f, out var b) || a != b)];

    private sealed record Step(string Name, Func<Session, CancellationToken, Task> RunAsync);

    /// <summary>What the steps share: the client's function routes, the function's name and its current revisionId.</summary>
    private sealed class Session(FunctionsRequestBuilder functions, string name)
    {
        public FunctionsRequestBuilder Functions { get; } = functions;

        public string Name { get; } = name;

        public string RevisionId { get; set; } = "";

        public string Step { get; set; } = "";
    }
}