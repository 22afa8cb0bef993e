using MetaService.Cli.Output;

namespace MetaService.Cli.Tests;

public sealed class FunctionCommandTests : ServerTest
{
    [Fact]
    public async Task Deploy_CreatesThenUpdatesWithTheCurrentRevisionId()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var first = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name, cpu: 600)), "-o", "json");
        var revision = (string)first.Json()["revisionId"]!;

        var second = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 900)), "-o", "json");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(900, (int)second.Json()["cpu"]!);
        Assert.NotEqual(revision, (string)second.Json()["revisionId"]!);
    }

    [Fact]
    public async Task Deploy_ReadsAYamlSpec_WithUnquotedInstanceCounts()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();

        var run = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("spec.yaml", Spec.Yaml(name)), "-o", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(700, (int)run.Json()["cpu"]!);
        Assert.Equal(3, (int)run.Json()["maxInstance"]!);
        Assert.Equal("yes", (string)run.Json()["environment"]!["GREETING"]!);
    }

    [Fact]
    public async Task Get_PrintsATable_ByDefault()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("function", "get", name);

        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("REVISION", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(name + " ", lines[1], StringComparison.Ordinal);
        Assert.Contains("$latest", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_PrintsYaml_ThatReadsBackAsTheFunction()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("function", "get", name, "--output", "yaml");

        var node = YamlText.Read(new StringReader(run.Out))!;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(name, (string)node["name"]!);
        Assert.Equal("$latest", (string)node["versionNumber"]!);
        Assert.Equal(600, (long)node["cpu"]!);
        Assert.Equal(System.Text.Json.JsonValueKind.String, node["revisionId"]!.GetValueKind());
    }

    [Fact]
    public async Task List_PagesThroughEverything()
    {
        var tenant = "cli-list-" + Guid.NewGuid().ToString("N")[..8];
        var yrmeta = new Yrcmd(Server);
        var names = Enumerable.Range(0, 5).Select(_ => Spec.Name()).ToList();
        foreach (var name in names)
        {
            await yrmeta.RunAsync("function", "deploy", "--tenant", tenant, "-f", Specs.Write(name + ".json", Spec.Json(name)));
        }

        var run = await yrmeta.RunAsync("function", "list", "--tenant", tenant, "--page-size", "2", "-o", "json");

        var listed = run.Json().AsArray().Select(f => (string)f!["name"]!).Order().ToList();
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(names.Order().ToList(), listed);
    }

    [Fact]
    public async Task Tenant_ComesFromYrmetaTenant()
    {
        var tenant = "cli-env-" + Guid.NewGuid().ToString("N")[..8];
        var withTenant = new Yrcmd(Server, new Dictionary<string, string> { ["YRMETA_TENANT"] = tenant });
        var name = Spec.Name();
        await withTenant.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var mine = await withTenant.RunAsync("function", "list", "--name", name, "-o", "json");
        var other = await new Yrcmd(Server).RunAsync("function", "list", "--name", name, "-o", "json");

        Assert.Single(mine.Json().AsArray());
        Assert.Empty(other.Json().AsArray());
    }

    [Fact]
    public async Task PublishVersionsAndDelete_WorkInSequence()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var published = await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1", "--description", "first", "-o", "json");
        var versions = await yrmeta.RunAsync("function", "versions", name, "-o", "json");
        var deletedVersion = await yrmeta.RunAsync("function", "delete", name, "--version-number", "v1");
        var afterVersionDelete = await yrmeta.RunAsync("function", "versions", name, "-o", "json");
        var deleted = await yrmeta.RunAsync("function", "delete", name, "-o", "json");

        Assert.Equal(0, published.ExitCode);
        Assert.Equal("first", (string)published.Json()["versionDesc"]!);
        Assert.Equal(["$latest", "v1"], versions.Json().AsArray().Select(v => (string)v!["versionNumber"]!).Order());
        Assert.Equal($"deleted version v1 of {name}\n", deletedVersion.Out.ReplaceLineEndings("\n"));
        Assert.Single(afterVersionDelete.Json().AsArray());
        Assert.Equal("deleted", (string)deleted.Json()["result"]!);
    }

    [Fact]
    public async Task Update_AppliesASpecToTheDraft()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));

        var run = await yrmeta.RunAsync("function", "update", name, "-f", Specs.Write("b.yaml", "cpu: 800\nmemory: 512\nstorageType: local\ncodePath: /x\n"), "-o", "yaml");

        var node = YamlText.Read(new StringReader(run.Out))!;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(800, (long)node["cpu"]!);
        Assert.Equal("/x", (string)node["codePath"]!);
    }
}