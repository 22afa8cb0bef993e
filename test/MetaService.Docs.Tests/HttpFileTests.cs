namespace MetaService.Docs.Tests;

/// <summary><c>MetaService.http</c> runs top to bottom with httpyac against a fresh server, every assertion
/// it makes holding.</summary>
public sealed class HttpFileTests
{
    /// <summary>Where <c>scripts/test.sh</c> installs it (npm, into a folder git ignores).</summary>
    private static string Httpyac => Path.Combine(Tool.RepositoryRoot, ".tools", "node_modules", ".bin", "httpyac");

    [Fact]
    public async Task EveryRequest_PassesItsAssertions()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.True(File.Exists(Httpyac), $"httpyac is not installed at {Httpyac}: ./scripts/test.sh installs it (npm install --prefix .tools httpyac@6.16.7)");
        var requests = (await File.ReadAllLinesAsync(Path.Combine(Tool.RepositoryRoot, "MetaService.http"), cancellationToken)).Count(l => l.StartsWith("###", StringComparison.Ordinal));
        await using var server = await ServerProcess.StartAsync(cancellationToken);

        var run = await Tool.RunAsync(
            Httpyac,
            ["send", "MetaService.http", "--all", "--bail", "-o", "short", "--no-color"],
            new Dictionary<string, string> { ["METASERVICE_URL"] = server.Url },
            cancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{requests} requests processed ({requests} succeeded)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("✖", run.Out, StringComparison.Ordinal);
    }
}