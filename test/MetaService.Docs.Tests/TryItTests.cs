namespace MetaService.Docs.Tests;

/// <summary>README's "Try it" block, pasted as a reader pastes it: bash runs it against a fresh server.</summary>
public sealed class TryItTests
{
    private const string Begin = "<!-- try-it:begin -->";
    private const string End = "<!-- try-it:end -->";

    [Fact]
    public async Task TheBlock_RunsAsItIs_AgainstAFreshServer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var bash = Tool.OnPath("bash") ?? throw new InvalidOperationException("bash is not installed");
        _ = Tool.OnPath("jq") ?? throw new InvalidOperationException("jq is not installed: the README's block needs it; ./scripts/test.sh installs it (apt-get install jq)");
        _ = Tool.OnPath("curl") ?? throw new InvalidOperationException("curl is not installed: the README's block needs it (apt-get install curl)");
        var block = Block(await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot, "README.md"), cancellationToken));
        await using var server = await ServerProcess.StartAsync(cancellationToken);

        // -e and pipefail: a command of the block that fails fails the run, as it would show to a reader.
        var run = await Tool.RunAsync(bash, ["-eo", "pipefail"], new Dictionary<string, string> { ["S"] = server.Url }, cancellationToken, standardInput: block);

        var lines = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(9, lines.Length);
        // A revisionId is the time to the millisecond, its trailing zeros dropped (as the original writes it).
        Assert.Matches(@"^created, revisionId \d{14,17}$", lines[0]);
        Assert.Contains("\"versionNumber\":\"$latest\"", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^updated, revisionId \d{14,17}$", lines[2]);
        Assert.NotEqual(LastWord(lines[0]), LastWord(lines[2]));
        Assert.Equal("{\"code\":4134,\"message\":\"revisionID is not the same\"} HTTP 412", lines[3]);
        Assert.Contains($"\"revisionId\":\"{LastWord(lines[2])}\"", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("{\"total\":2,", lines[5], StringComparison.Ordinal);
        Assert.Equal("{\"total\":2,\"versions\":[\"$latest\",\"v1\"]}", lines[6]);
        Assert.Equal("{} HTTP 200", lines[7]);
        Assert.EndsWith(" HTTP 404", lines[8], StringComparison.Ordinal);
    }

    private static string LastWord(string line) => line[(line.LastIndexOf(' ') + 1)..];

    /// <summary>The shell code between the markers, without its fence.</summary>
    private static string Block(string readme)
    {
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no {Begin} … {End} block");
        var fenced = readme[(start + Begin.Length)..end].Trim();
        Assert.StartsWith("```sh\n", fenced.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        return fenced.ReplaceLineEndings("\n")["```sh\n".Length..^"```".Length];
    }
}