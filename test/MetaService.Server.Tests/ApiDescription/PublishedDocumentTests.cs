using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests.ApiDescription;

/// <summary>
/// The document the server serves is the one published in <c>docs/openapi.json</c>, whole: every route's summary,
/// description, parameters, answers, examples and schemas. A change to any of them fails here until the published file
/// is written again, so it shows in review as a change to that file, and a client author can read the API without
/// running the server. Set <see cref="WriteVariable"/> to 1 to write the served document there instead of failing.
/// </summary>
public sealed class PublishedDocumentTests : IAsyncLifetime
{
    private const string WriteVariable = "METASERVICE_WRITE_OPENAPI";

    /// <summary>Indented, and with quotes, apostrophes, angle brackets and other text as they read (the file is for people;
    /// JSON needs only the quote and the backslash escaped).</summary>
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly MetaServiceFactory _factory = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task TheServedDocument_IsThePublishedOne()
    {
        var served = await _factory.OpenApiAsync();
        var published = Path.Combine(RepositoryRoot(AppContext.BaseDirectory), "docs", "openapi.json");
        var servedText = served.ToJsonString(Readable) + "\n";

        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            await File.WriteAllTextAsync(published, servedText, TestContext.Current.CancellationToken);
        }

        var same = JsonNode.DeepEquals(served, JsonNode.Parse(await File.ReadAllTextAsync(published, TestContext.Current.CancellationToken)));
        if (!same)
        {
            var copy = Path.Combine(Path.GetTempPath(), $"metaservice-openapi-{Environment.ProcessId}.json");
            await File.WriteAllTextAsync(copy, servedText, TestContext.Current.CancellationToken);
            Assert.Fail($"the served document differs from docs/openapi.json (see: diff {published} {copy}); if the change is meant, "
                + $"publish it: {WriteVariable}=1 dotnet test --project test/MetaService.Server.Tests -c Release --filter-class '*PublishedDocumentTests'");
        }
    }

    private static string RepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MetaService.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no MetaService.slnx above {start}");
    }
}