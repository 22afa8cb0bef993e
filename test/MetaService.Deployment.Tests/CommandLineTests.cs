using System.Net.Sockets;
using System.Text;

namespace MetaService.Deployment.Tests;

/// <summary>The server's command line and start-up, as an operator meets them: usage, wrong switches, the settings
/// file found from any working directory, and a caller that sends its body too slowly.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Tools.NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsUsage_AndExits0(string flag)
    {
        await using var server = ChildServer.Start([flag]);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(0, exit);
        Assert.Contains("MetaService.Server [switches]", server.OutputText, StringComparison.Ordinal);
        Assert.Contains("--data-dir DIR", server.OutputText, StringComparison.Ordinal);
        Assert.Empty(server.Errors);
    }

    [Theory]
    [InlineData("--prot 8080", "unknown switch '--prot'")]
    [InlineData("--verbose", "unknown switch '--verbose'")]
    [InlineData("-x 1", "unknown switch '-x'")]
    [InlineData("--data-dir ./d serve", "unexpected argument 'serve'")]
    public async Task AWrongSwitch_IsRefused_WithOneLine_AndExits2(string arguments, string expected)
    {
        await using var server = ChildServer.Start(arguments.Split(' '), workingDirectory: _directory);

        var exit = await server.ExitCodeAsync();

        Assert.Equal(2, exit);
        Assert.Contains(expected, Assert.Single(server.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartedFromAnotherFolder_ReadsTheSettingsBesideTheProgram()
    {
        // A settings file of its own environment, beside the program (the test's folder): found only if the server
        // reads its settings from its own folder, not from the working directory.
        var environment = "Probe" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        try
        {
            var (server, listening, port) = await ChildServer.StartOnFreePortAsync(port =>
            {
                File.WriteAllText(file, $$"""{"Urls":"http://127.0.0.1:{{port}}"}""");
                return ChildServer.Start(["--data-dir", Path.Combine(_directory, "data")], new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = environment, ["DOTNET_ENVIRONMENT"] = environment }, workingDirectory: _directory);
            });
            await using (server)
            {
                Assert.Equal(port, listening.Port);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheBootstrapTokenVariable_OfTheProcessEnvironment_IsTheFirstAdminToken()
    {
        var token = "env-" + Guid.NewGuid().ToString("N");
        var (server, listening, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(
            ["--data-dir", Path.Combine(_directory, "data"), "--urls", $"http://127.0.0.1:{port}", "--Auth:Mode", "token"],
            new Dictionary<string, string> { ["METASERVICE_BOOTSTRAP_TOKEN"] = token }));
        await using var _ = server;
        using var client = new HttpClient { BaseAddress = listening };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        using var tokens = await client.GetAsync(new Uri("/serverless/v1/tokens", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.OK, tokens.StatusCode);
        Assert.Contains("\"description\":\"bootstrap\"", await tokens.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains(server.Output, l => l.Contains("registered the bootstrap admin token", StringComparison.Ordinal) && l.Contains("from METASERVICE_BOOTSTRAP_TOKEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABodyArrivingTooSlowly_Answers408WithABody_LoggedBelowErrorLevel()
    {
        var (server, listening, _) = await ChildServer.StartOnFreePortAsync(port => ChildServer.Start(["--data-dir", Path.Combine(_directory, "data"), "--urls", $"http://127.0.0.1:{port}"]));
        await using var _ = server;
        using var client = new TcpClient();
        await client.ConnectAsync(listening.Host, listening.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();

        // 1 of 1000 announced bytes, then nothing: the server's minimum body rate (240 B/s after 5 s) runs out.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /serverless/v1/functions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        var answer = await reader.ReadToEndAsync(patience.Token);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":408", answer, StringComparison.Ordinal);
        await server.WaitForAsync(l => l.Contains("refused with 408", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal));
    }
}