namespace MetaService.Cli.Tests;

/// <summary><c>--ca-file</c> against a real https endpoint whose certificate a CA of the test signed: refused without the
/// CA file (the system does not trust it) and with another CA's file, served with it (flag, variable or context); a
/// certificate that does not name the address is refused even with the right CA.</summary>
public sealed class CaFileTests
{
    [Fact]
    public async Task WithoutTheCa_IsUnreachable_WithItServed()
    {
        await using var endpoint = await HttpsEndpoint.StartAsync();
        var server = endpoint.Address.ToString();

        var untrusted = await Yrcmd.Network().RunAsync("function", "list", "--server", server);
        var otherCa = await Yrcmd.Network().RunAsync("function", "list", "--server", server, "--ca-file", endpoint.OtherCaFile);
        var trusted = await Yrcmd.Network().RunAsync("function", "list", "--server", server, "--ca-file", endpoint.CaFile);
        var byVariable = await Yrcmd.Network(new Dictionary<string, string> { ["YRMETA_CA_FILE"] = endpoint.CaFile }).RunAsync("function", "list", "--server", server);

        Assert.Equal(3, untrusted.ExitCode);
        Assert.Contains("--ca-file", untrusted.Error, StringComparison.Ordinal);
        Assert.Equal(3, otherCa.ExitCode);
        Assert.Equal(0, trusted.ExitCode);
        Assert.Contains("no functions", trusted.Out, StringComparison.Ordinal);
        Assert.Equal(0, byVariable.ExitCode);
    }

    [Fact]
    public async Task ACertificateForAnotherName_IsRefused_EvenWithTheCa()
    {
        await using var endpoint = await HttpsEndpoint.StartAsync(nameTheAddress: false);

        var run = await Yrcmd.Network().RunAsync("function", "list", "--server", endpoint.Address.ToString(), "--ca-file", endpoint.CaFile);

        Assert.Equal(3, run.ExitCode);
    }

    [Fact]
    public async Task Login_SavesTheCaFile_AndTheContextUsesIt()
    {
        await using var endpoint = await HttpsEndpoint.StartAsync();
        var folder = Directory.CreateTempSubdirectory("yrmeta-config-").FullName;
        try
        {
            var yrmeta = Yrcmd.Network(new Dictionary<string, string> { ["YRMETA_CONFIG"] = Path.Combine(folder, "config.json") });

            var login = await yrmeta.RunAsync("login", "--server", endpoint.Address.ToString(), "--token", "any-token-the-endpoint-takes", "--ca-file", endpoint.CaFile);
            var listed = await yrmeta.RunAsync("function", "list");

            Assert.Equal(0, login.ExitCode);
            Assert.Equal(0, listed.ExitCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ACaFileThatHoldsNoCertificate_IsAUsageError()
    {
        var folder = Directory.CreateTempSubdirectory("yrmeta-ca-").FullName;
        try
        {
            var file = Path.Combine(folder, "ca.pem");
            await File.WriteAllTextAsync(file, "not a certificate", TestContext.Current.CancellationToken);

            var run = await Yrcmd.Network().RunAsync("function", "list", "--server", "https://127.0.0.1:1", "--ca-file", file);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("holds no certificate", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}