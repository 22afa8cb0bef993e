using MetaService.Server.Startup;

namespace MetaService.Server.Tests.Startup;

/// <summary>The command line before the host reads it (<see cref="ServerArguments.Answer"/>): help, and every switch
/// the configuration reader would silently ignore refused with one line and exit code 2.</summary>
public sealed class ServerArgumentsTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-help")]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("--data-dir ./d --help")]
    [InlineData("--prot 1 -h")]
    public void Help_PrintsTheUsage_AndAnswers0(string arguments)
    {
        var (code, output, error) = Answer(arguments);

        Assert.Equal(0, code);
        Assert.Equal(ServerArguments.Usage + Environment.NewLine, output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--urls http://127.0.0.1:0")]
    [InlineData("--URLS=http://127.0.0.1:0 --environment Development")]
    [InlineData("--https_ports 8443 --AllowedHosts *")]
    [InlineData("--data-dir ./d --store sqlite")]
    [InlineData("--store=etcd --etcd-endpoints http://a:2379,http://b:2379")]
    [InlineData("-config_path /etc/config.json -log_config_path=/etc/log.json")]
    [InlineData("--config_path=/etc/config.json --log_config_path /etc/log.json")]
    [InlineData("--Meta:VersionMax 16 --store:kind sqlite")]
    [InlineData("--Meta:VersionMax=16 --data-dir -odd-folder-name")]
    [InlineData("--Meta:Anything")]
    public void TheServersSwitches_HostSettings_AndSectionKeys_StartTheServer(string arguments)
    {
        var (code, output, error) = Answer(arguments);

        Assert.Null(code);
        Assert.Empty(output);
        Assert.Empty(error);
    }

    [Theory]
    [InlineData("--prot 8080", "MetaService: unknown switch '--prot'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("--urls=http://127.0.0.1:0 --verbose", "MetaService: unknown switch '--verbose'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("-x 1", "MetaService: unknown switch '-x'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("--", "MetaService: unknown switch '--'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("-urls x", "MetaService: unknown switch '-urls'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("-Meta:VersionMax 3", "MetaService: unknown switch '-Meta:VersionMax'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("--Store=etcd", "MetaService: unknown switch '--Store'; settings are --Section:Key value, and --help lists the switches")]
    [InlineData("--data-dir ./d serve", "MetaService: unexpected argument 'serve'; --help lists the switches and commands")]
    [InlineData("--data-dir=./d serve=now", "MetaService: unexpected argument 'serve'; --help lists the switches and commands")]
    [InlineData("serve", "MetaService: unexpected argument 'serve'; --help lists the switches and commands")]
    public void AnythingElse_IsRefused_WithOneLine_AndAnswers2(string arguments, string expected)
    {
        var (code, output, error) = Answer(arguments);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal(expected + Environment.NewLine, error);
    }

    private static (int? Code, string Output, string Error) Answer(string arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ServerArguments.Answer(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), output, error);
        return (code, output.ToString(), error.ToString());
    }
}