using System.Diagnostics;

using MetaService.Load;

namespace MetaService.Reliability.Tests;

/// <summary>The load tool's own mistakes and refusals (issue 16: it checks its prerequisites and says what to do): a
/// missing program, a missing or malformed option, a server that is not there or limits the load each end in one line
/// saying what to do and an exit code, never in an unhandled exception.</summary>
public sealed class LoadToolTests
{
    [Fact]
    public async Task DriveWithoutAUrl_SaysWhichOptionItNeeds_AndExits2()
    {
        var (code, error) = await RunAsync(["drive"]);

        Assert.Equal(2, code);
        Assert.StartsWith("MetaService.Load drive: drive needs --url http://127.0.0.1:PORT", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--runs", "x")]
    [InlineData("--seconds", "-5")]
    [InlineData("--warmup", "1.5")]
    [InlineData("--sizes", "1000,lots")]
    public async Task AnOptionThatIsNoWholeNumber_IsNamed_AndNothingRuns(string option, string value)
    {
        using var directory = new DataDirectory();
        var (code, error) = await RunAsync(["seed", option, value, "--work", directory.Path]);

        Assert.Equal(2, code);
        Assert.Contains($"{option} takes a whole number, not '", error, StringComparison.Ordinal);
        Assert.Contains("usage: MetaService.Load", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Path), "a refused command line made its work directory");
    }

    [Fact]
    public async Task ASuiteWhoseProgramIsMissing_SaysHowToInstallIt()
    {
        using var empty = new DataDirectory();
        Directory.CreateDirectory(empty.Path);
        var (code, error) = await RunAsync(["reads"], path: empty.Path);

        Assert.Equal(2, code);
        Assert.Equal("the reads suite runs 'wrk', which is not on PATH; install it: apt-get install -y wrk", error.Trim());
    }

    [Fact]
    public async Task DriveAgainstNoServer_SaysSo_AndExits1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, error) = await RunAsync(["drive", "--url", $"http://127.0.0.1:{port}"]);

        Assert.Equal(1, code);
        Assert.StartsWith("MetaService.Load drive: a request to the server failed:", error, StringComparison.Ordinal);
        Assert.Contains("(is the server running at the --url given?)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriveAgainstAServerThatLimitsIt_NamesTheSettingsThatLiftTheLimit()
    {
        using var directory = new DataDirectory();
        using var server = await ServerProcess.StartMetaAsync(directory.Path, "/healthz", "--Limits:RequestsPerSecond", "1", "--Limits:RequestBurst", "1");

        var (code, error) = await RunAsync(["drive", "--url", server.Address.ToString(), "--clients", "4"]);

        Assert.Equal(1, code);
        Assert.Contains("429", error, StringComparison.Ordinal);
        Assert.Contains($"start it with {string.Join(' ', ServerProcess.Unlimited)}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", error, StringComparison.Ordinal);
    }

    /// <summary>Runs the load tool built beside these tests (its exit code and standard error), bounded in time;
    /// <paramref name="path"/> replaces its <c>PATH</c>.</summary>
    private static async Task<(int Code, string Error)> RunAsync(string[] arguments, string? path = null)
    {
        // The child's PATH does not matter for finding dotnet: .NET looks the program up on this process's.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (path is not null)
        {
            start.Environment["PATH"] = path;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the load tool did not end within 2 minutes: {string.Join(' ', arguments)}");
        }

        await output;
        return (process.ExitCode, await error);
    }
}