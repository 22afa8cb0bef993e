using System.Text.Json.Nodes;

namespace MetaService.Docs.Tests;

/// <summary>The document the built server serves passes <c>@redocly/cli lint</c> with its recommended rules, as
/// <c>redocly.yaml</c> configures them: no error and no warning.</summary>
public sealed class OpenApiLintTests
{
    /// <summary>Where <c>scripts/test.sh</c> installs it (npm, into a folder git ignores).</summary>
    private static string Redocly => Path.Combine(Tool.RepositoryRoot, ".tools", "redocly", "node_modules", ".bin", "redocly");

    [Fact]
    public async Task ServedDocument_PassesRedoclyLint_WithNoErrorAndNoWarning()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(Redocly), $"redocly is not installed at {Redocly}: ./scripts/test.sh installs it (npm install --prefix .tools/redocly @redocly/cli@2.77.0)");
        await using var server = await ServerProcess.StartAsync(cancellationToken);
        var folder = Directory.CreateTempSubdirectory("metaservice-lint-").FullName;
        try
        {
            var document = await ServedDocument.SaveAsync(await ServedDocument.ReadAsync(server, cancellationToken), folder, cancellationToken);

            var run = await Tool.RunAsync(
                Redocly,
                ["lint", document, "--config", "redocly.yaml", "--format", "json", "--max-problems", "1000"],
                new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
                cancellationToken);

            var problems = Problems(run);
            Assert.True(run.ExitCode == 0 && problems.Count == 0, $"{problems.Count} problems:\n{string.Join('\n', problems)}\n{run.Error}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Each problem of the JSON report as one line: severity, rule, where, what.</summary>
    private static List<string> Problems(ToolRun run)
    {
        var report = JsonNode.Parse(run.Out) ?? throw new InvalidOperationException($"redocly printed no report: {run}");
        return [.. report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]} {p["location"]?[0]?["pointer"]}: {p["message"]}")];
    }
}