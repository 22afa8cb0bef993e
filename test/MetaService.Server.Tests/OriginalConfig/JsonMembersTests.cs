using MetaService.Server.OriginalConfig;
using MetaService.Server.Startup;

namespace MetaService.Server.Tests.OriginalConfig;

/// <summary>
/// How openYuanrong's JSON files are read (<see cref="JsonMembers"/>): members by path, names matched as Go's decoder
/// matches them, texts and numbers as the original's files write them, each wrong type stopping the start with one
/// line, and every member nothing read reported as unused.
/// </summary>
public sealed class JsonMembersTests : IDisposable
{
    private readonly FilesFolder _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void MembersAreFound_ByTheirExactName_ElseWithoutRegardToCase_AsGosDecoder()
    {
        var json = Load("""{ "Server": { "PORT": 1 }, "level": "exact", "LEVEL": "other" }""");

        Assert.Equal("1", json.Text("server.port"));
        Assert.Equal("exact", json.Text("level"));
        Assert.Equal("other", json.Text("LEVEL"));
        Assert.Null(json.Text("server.ip"));
        Assert.Null(json.Text("server.port.deeper"));
    }

    [Fact]
    public void Texts_AreStringsOrNumbers_AndNullIsAbsent()
    {
        var json = Load("""{ "a": "x", "b": 12, "c": null, "d": true, "e": -3 }""");

        Assert.Equal("x", json.Text("a"));
        Assert.Equal("12", json.Text("b"));
        Assert.Equal("-3", json.Text("e"));
        Assert.Null(json.Text("c"));
        Assert.False(json.Has("c"));
        Assert.True(json.Has("a"));
        Assert.False(json.Has("missing"));
        Assert.Equal($"{File("members.json")}: d must be a text; it is true", Assert.Throws<SettingsException>(() => json.Text("d")).Message);
    }

    [Fact]
    public void Flags_AreTrueFalseOrTheirText_AndFalseWhenAbsent()
    {
        var json = Load("""{ "t": true, "f": false, "ts": "True", "fs": "false", "n": null, "x": "yes", "one": 1 }""");

        Assert.True(json.Flag("t"));
        Assert.False(json.Flag("f"));
        Assert.True(json.Flag("ts"));
        Assert.False(json.Flag("fs"));
        Assert.False(json.Flag("n"));
        Assert.False(json.Flag("absent"));
        Assert.Equal($"{File("members.json")}: x must be true or false; it is \"yes\"", Assert.Throws<SettingsException>(() => json.Flag("x")).Message);
        Assert.Equal($"{File("members.json")}: one must be true or false; it is 1", Assert.Throws<SettingsException>(() => json.Flag("one")).Message);
    }

    [Fact]
    public void Numbers_AreWholeNumbersOrTheirText_AsOpenYuanrongWritesThem()
    {
        var json = Load("""{ "n": 100, "s": "100", "neg": "-5", "half": 1.5, "word": "many", "plus": "+7" }""");

        Assert.Equal(100, json.Number("n"));
        Assert.Equal(100, json.Number("s"));
        Assert.Equal(-5, json.Number("neg"));
        Assert.Equal(7, json.Number("plus"));
        Assert.Null(json.Number("absent"));
        Assert.Equal($"{File("members.json")}: half must be a whole number; it is 1.5", Assert.Throws<SettingsException>(() => json.Number("half")).Message);
        Assert.Equal($"{File("members.json")}: word must be a whole number; it is \"many\"", Assert.Throws<SettingsException>(() => json.Number("word")).Message);
    }

    [Fact]
    public void ListsOfTexts_AreEmptyWhenAbsent_AndRefusedWithAnythingButTexts()
    {
        var json = Load("""{ "l": ["a", "b"], "n": null, "mixed": ["a", 1], "one": "a" }""");

        Assert.Equal(["a", "b"], json.Texts("l"));
        Assert.Empty(json.Texts("n"));
        Assert.Empty(json.Texts("absent"));
        Assert.Equal($"{File("members.json")}: mixed must be a list of texts; it is [\"a\", 1]", Assert.Throws<SettingsException>(() => json.Texts("mixed")).Message);
        Assert.Equal($"{File("members.json")}: one must be a list of texts; it is \"a\"", Assert.Throws<SettingsException>(() => json.Texts("one")).Message);
    }

    [Fact]
    public void Unread_ListsEveryMemberNothingRead_DescendingOnlyIntoObjectsPartlyRead()
    {
        var json = Load("""
            {
              "bucket": [{ "bucketId": "" }],
              "function": { "default": { "timeout": 900, "envPrefix": "env-" }, "aliasMax": 8, "versionMax": 8 },
              "urn": { "prefix": "sn" },
              "func": { "name": "a member whose name begins a read one's" },
              "Server": { "port": 1 },
              "metaEtcd": { "servers": [] }
            }
            """);

        _ = json.Number("function.default.timeout");
        _ = json.Number("function.versionMax");
        _ = json.Text("SERVER.PORT");
        _ = json.Has("metaEtcd");

        Assert.Equal(["bucket", "function.default.envPrefix", "function.aliasMax", "urn", "func"], json.Unread());
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreTaken()
    {
        var json = Load("""
            {
              // the port
              "port": 8080, /* and the ip */
              "ip": "127.0.0.1",
            }
            """);

        Assert.Equal(8080, json.Number("port"));
        Assert.Equal("127.0.0.1", json.Text("ip"));
    }

    [Fact]
    public void AFileThatIsMissing_NotJson_OrNotAnObject_StopsTheStart_NamingTheFileAndTheFlag()
    {
        var missing = File("absent.json");
        Assert.Equal($"{missing} (-config_path) does not exist: give the path of openYuanrong's file",
            Assert.Throws<SettingsException>(() => JsonMembers.Load(missing, "-config_path")).Message);

        var broken = Write("broken.json", """{ "a": """);
        Assert.StartsWith($"{broken} (-log_config_path) is not valid JSON: ",
            Assert.Throws<SettingsException>(() => JsonMembers.Load(broken, "-log_config_path")).Message, StringComparison.Ordinal);

        var list = Write("list.json", "[1, 2]");
        Assert.Equal($"{list} (-config_path) is not a JSON object", Assert.Throws<SettingsException>(() => JsonMembers.Load(list, "-config_path")).Message);
        Assert.Equal(list, JsonMembers.Load(Write("list.json", "{}"), "-config_path").File);
    }

    private JsonMembers Load(string text) => JsonMembers.Load(Write("members.json", text), "-config_path");

    private string Write(string name, string text) => _files.Write(name, text);

    private string File(string name) => _files.File(name);
}