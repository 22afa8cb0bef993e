using MetaService.Server.OriginalConfig;
using MetaService.Server.Startup;

namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>openYuanrong's <c>log.json</c> (<see cref="LogFile"/>): its level, in zap's names, becomes the default log
/// level; the start-up lines stay whatever the level; a missing file keeps the defaults, as the original does.</summary>
public sealed class LogFileTests : IDisposable
{
    private readonly FilesFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("DEBUG", "Debug", "Debug")]
    [InlineData("debug", "Debug", "Debug")]
    [InlineData("INFO", "Information", "Information")]
    [InlineData("WARN", "Warning", "Information")]
    [InlineData("warning", "Warning", "Information")]
    [InlineData("ERROR", "Error", "Information")]
    [InlineData("DPANIC", "Critical", "Information")]
    [InlineData("PANIC", "Critical", "Information")]
    [InlineData("FATAL", "Critical", "Information")]
    public void TheLevel_IsTheDefault_AndTheStartLinesStayAtInformationOrBelow(string level, string mapped, string startup)
    {
        var log = LogFile.Read(Write($$"""{ "filepath": "/var/log", "level": "{{level}}", "rolling": { "maxsize": 10 } }"""));

        Assert.Equal(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = mapped, ["Logging:LogLevel:" + StartupLog.Category] = startup },
            log.Settings);
        Assert.Equal(["filepath", "rolling"], log.Unused);
        Assert.Null(log.Note);
    }

    [Theory]
    [InlineData("""{ "level": "" }""")]
    [InlineData("""{ "filepath": "/var/log" }""")]
    public void NoLevel_GivesNoSetting(string text)
    {
        Assert.Empty(LogFile.Read(Write(text)).Settings);
    }

    [Fact]
    public void AnUnknownLevel_StopsTheStart_NamingTheLevelsThereAre()
    {
        var file = Write("""{ "level": "VERBOSE" }""");

        Assert.Equal($"{file}: level 'VERBOSE' is unknown: give DEBUG, INFO, WARN, ERROR or FATAL", Assert.Throws<SettingsException>(() => LogFile.Read(file)).Message);
    }

    [Fact]
    public void AMissingFile_KeepsTheDefaults_AndSaysSo()
    {
        var file = _files.File("absent.json");

        var log = LogFile.Read(file);

        Assert.Empty(log.Settings);
        Assert.Empty(log.Unused);
        Assert.Equal($"{file} (-log_config_path) does not exist; the default log settings are kept, as the original does", log.Note);
    }

    [Fact]
    public void AFileThatIsNotJson_StopsTheStart_NamingItsFlag()
    {
        var file = Write("level: INFO");

        Assert.StartsWith($"{file} (-log_config_path) is not valid JSON: ", Assert.Throws<SettingsException>(() => LogFile.Read(file)).Message, StringComparison.Ordinal);
    }

    private string Write(string text) => _files.Write("log.json", text);
}