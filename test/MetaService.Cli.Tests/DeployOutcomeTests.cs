namespace MetaService.Cli.Tests;

/// <summary>What <c>function deploy</c> says it did, and that an unchanged spec makes no new revision.</summary>
public sealed class DeployOutcomeTests : ServerTest
{
    [Fact]
    public async Task Deploy_SaysCreatedThenUnchanged_AndTheSameSpecMakesNoNewRevision()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var spec = Specs.Write("a.json", Spec.Json(name));
        var created = await yrmeta.RunAsync("function", "deploy", "-f", spec);
        var before = (string)(await yrmeta.RunAsync("function", "get", name, "-o", "json")).Json()["revisionId"]!;

        var again = await yrmeta.RunAsync("function", "deploy", "-f", spec);

        var after = (string)(await yrmeta.RunAsync("function", "get", name, "-o", "json")).Json()["revisionId"]!;
        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith($"created {name}\n", created.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith($"unchanged {name}\n", again.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Deploy_OfAYamlSpecTwice_IsUnchanged()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var spec = Specs.Write("spec.yaml", Spec.Yaml(name));
        await yrmeta.RunAsync("function", "deploy", "-f", spec);

        var again = await yrmeta.RunAsync("function", "deploy", "-f", spec);

        Assert.StartsWith($"unchanged {name}", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OfAFaasJavaSpecTwice_IsUnchanged_ThoughTheServerRenamesItsRuntime()
    {
        var yrmeta = new Yrcmd(Server);
        var name = "0@cli@java" + Guid.NewGuid().ToString("N")[..8];
        var spec = Specs.Write("java.json", $$"""{"name":"{{name}}","runtime":"java1.8","kind":"faas","handler":"Main","cpu":600,"memory":512}""");
        await yrmeta.RunAsync("function", "deploy", "-f", spec);

        var again = await yrmeta.RunAsync("function", "deploy", "-f", spec);

        Assert.StartsWith($"unchanged {name}", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OfAChangedSpec_SaysUpdatedWithTheNewRevisionId()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name, cpu: 600)));

        var updated = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 900)));

        var revision = (string)(await yrmeta.RunAsync("function", "get", name, "-o", "json")).Json()["revisionId"]!;
        Assert.Equal(0, updated.ExitCode);
        Assert.StartsWith($"updated {name} (revisionId {revision})\n", updated.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_OfASpecThatLeavesOutAMemberTheServerHolds_Updates()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)));
        var withoutCode = $$"""{"name":"{{name}}","runtime":"python3.9","kind":"yrlib","handler":"handler.main","cpu":600,"memory":512}""";

        var run = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", withoutCode), "-o", "json");

        Assert.StartsWith($"updated {name}", run.Error, StringComparison.Ordinal);
        Assert.Equal("", (string)run.Json()["codePath"]!);
    }

    [Fact]
    public async Task Deploy_WithJsonOutput_SaysTheOutcomeOnStandardError()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();

        var run = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)), "-o", "json");

        Assert.Equal($"created {name}\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Equal(name, (string)run.Json()["name"]!);
    }

    [Fact]
    public async Task EmptyListAndVersions_SaySoInATable_AndStayEmptyArraysInJson()
    {
        var yrmeta = new Yrcmd(Server, new Dictionary<string, string> { ["YRMETA_TENANT"] = "cli-empty-" + Guid.NewGuid().ToString("N")[..8] });

        var table = await yrmeta.RunAsync("function", "list");
        var json = await yrmeta.RunAsync("function", "list", "-o", "json");
        var filtered = await yrmeta.RunAsync("function", "list", "--name", "nothing");

        Assert.Equal(0, table.ExitCode);
        Assert.Equal("no functions\n", table.Out.ReplaceLineEndings("\n"));
        Assert.Empty(json.Json().AsArray());
        Assert.Equal("no functions whose name contains 'nothing'\n", filtered.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Product_FromTheOptionOrYrmetaProduct_IsSentAsXProductId()
    {
        var name = Spec.Name();
        var fromEnvironment = new Yrcmd(Server, new Dictionary<string, string> { ["YRMETA_PRODUCT"] = "prod-b" });

        var byOption = await new Yrcmd(Server).RunAsync("--product", "prod-a", "function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name)), "-o", "json");
        var byVariable = await fromEnvironment.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name + "b")), "-o", "json");
        var withoutProduct = await new Yrcmd(Server).RunAsync("function", "get", name);

        Assert.Equal("prod-a", (string)byOption.Json()["productId"]!);
        Assert.Contains("default@prod-a", (string)byOption.Json()["functionUrn"]!, StringComparison.Ordinal);
        Assert.Equal("prod-b", (string)byVariable.Json()["productId"]!);
        Assert.Equal(1, withoutProduct.ExitCode);
    }
}