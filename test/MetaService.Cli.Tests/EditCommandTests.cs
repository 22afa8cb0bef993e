using System.Diagnostics;

namespace MetaService.Cli.Tests;

/// <summary><c>yrmeta function set|env|edit</c> through PATCH, and <c>--dry-run</c> on write commands.</summary>
public sealed class EditCommandTests : ServerTest
{
    private async Task<(Yrcmd Yrmeta, string Name)> DeployAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var yrmeta = new Yrcmd(Server, environment);
        var name = Spec.Name();
        Assert.Equal(0, (await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write(name + ".json", Spec.Json(name)))).ExitCode);
        return (yrmeta, name);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> GetAsync(Yrcmd yrmeta, string name)
    {
        var run = await yrmeta.RunAsync("function", "get", name, "-o", "json");
        Assert.Equal(0, run.ExitCode);
        return run.Json();
    }

    /// <summary>An EDITOR: a shell script run on the file (<c>$1</c>).</summary>
    private Dictionary<string, string> Editor(string script) =>
        new() { ["EDITOR"] = "sh " + Specs.Write("editor-" + Guid.NewGuid().ToString("N")[..8] + ".sh", "#!/bin/sh\n" + script + "\n") };

    [Fact]
    public async Task Set_ChangesTheNamedMembers_AndKeepsTheCodeFieldsAnUpdateWouldClear()
    {
        var (yrmeta, name) = await DeployAsync();

        var run = await yrmeta.RunAsync("function", "set", name, "timeout=120", "description=a new text", "environment={\"B\":\"2\"}", "maxInstance=5");

        var function = await GetAsync(yrmeta, name);
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"patched {name} (revisionId ", run.Out, StringComparison.Ordinal);
        Assert.Equal(120, (int)function["timeout"]!);
        Assert.Equal("a new text", (string?)function["description"]);
        Assert.Equal(5, (int)function["maxInstance"]!);
        Assert.Equal("hi", (string?)function["environment"]!["GREETING"]);
        Assert.Equal("2", (string?)function["environment"]!["B"]);
        Assert.Equal("/opt/code/hello", (string?)function["codePath"]);
    }

    [Fact]
    public async Task EnvSetAndUnset_ChangeOnlyTheNamedVariables()
    {
        var (yrmeta, name) = await DeployAsync();

        var set = await yrmeta.RunAsync("function", "env", "set", name, "A=1", "B=x=y");
        var unset = await yrmeta.RunAsync("function", "env", "unset", name, "GREETING");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(0, unset.ExitCode);
        Assert.Equal("""{"A":"1","B":"x=y"}""", (await GetAsync(yrmeta, name))["environment"]!.ToJsonString());
    }

    [Fact]
    public async Task SetWithAnOldIfMatch_IsRefused412_WithTheHint()
    {
        var (yrmeta, name) = await DeployAsync();
        var revision = (string)(await GetAsync(yrmeta, name))["revisionId"]!;
        await yrmeta.RunAsync("function", "env", "set", name, "A=1");

        var run = await yrmeta.RunAsync("function", "set", name, "timeout=120", "--if-match", revision);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("4134", run.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 412)", run.Error, StringComparison.Ordinal);
        Assert.Equal(60, (int)(await GetAsync(yrmeta, name))["timeout"]!);
    }

    [Fact]
    public async Task DryRun_OnWriteCommands_AnswersWhatTheWriteWould_AndWritesNothing()
    {
        var (yrmeta, name) = await DeployAsync();
        var before = (await GetAsync(yrmeta, name)).ToJsonString();
        var id = "p" + Guid.NewGuid().ToString("N")[..8];

        var set = await yrmeta.RunAsync("function", "set", name, "timeout=120", "--dry-run", "-o", "json");
        var delete = await yrmeta.RunAsync("function", "delete", name, "--dry-run");
        var pool = await yrmeta.RunAsync("pool", "create", "--id", id, "--size", "1", "--dry-run");
        var deploy = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("new.json", Spec.Json(Spec.Name())), "--dry-run");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(120, (int)set.Json()["timeout"]!);
        Assert.Contains("dry run", set.Error, StringComparison.Ordinal);
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("dry run", delete.Out, StringComparison.Ordinal);
        Assert.Equal(0, pool.ExitCode);
        Assert.Equal(0, deploy.ExitCode);
        Assert.Equal(before, (await GetAsync(yrmeta, name)).ToJsonString());
        Assert.Equal("[]", (await yrmeta.RunAsync("pool", "get", "--id", id, "-o", "json")).Out.Trim());
        Assert.Single((await yrmeta.RunAsync("function", "list", "-o", "json")).Json().AsArray());
    }

    [Fact]
    public async Task Edit_AppliesWhatTheEditorChanged_AsAMergePatch()
    {
        var (yrmeta, name) = await DeployAsync(Editor("sed -i -e 's/^timeout: 60$/timeout: 120/' -e 's/^  GREETING: hi$/  GREETING: hello/' \"$1\""));

        var run = await yrmeta.RunAsync("function", "edit", name);

        var function = await GetAsync(yrmeta, name);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"edited {name} (revisionId ", run.Out, StringComparison.Ordinal);
        Assert.Equal(120, (int)function["timeout"]!);
        Assert.Equal("hello", (string?)function["environment"]!["GREETING"]);
        Assert.Equal("/opt/code/hello", (string?)function["codePath"]);
        Assert.Equal(600, (int)function["cpu"]!);
    }

    [Fact]
    public async Task Edit_WithoutAChange_SendsNothing()
    {
        var (yrmeta, name) = await DeployAsync(Editor("true"));
        var before = (string)(await GetAsync(yrmeta, name))["revisionId"]!;

        var run = await yrmeta.RunAsync("function", "edit", name);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"unchanged {name}", run.Out, StringComparison.Ordinal);
        Assert.Equal(before, (string)(await GetAsync(yrmeta, name))["revisionId"]!);
    }

    [Fact]
    public async Task Edit_OfAFunctionChangedMeanwhile_Answers412_NamesWhatChanged_AndKeepsTheEdit()
    {
        // The editor saves its change, says it is ready, and exits only when the test has changed the function.
        var ready = Specs.Write("ready", "");
        var go = Specs.Write("go", "");
        File.Delete(ready);
        File.Delete(go);
        using (var mkfifo = Process.Start("mkfifo", [ready, go]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (yrmeta, name) = await DeployAsync(Editor($"sed -i 's/^timeout: 60$/timeout: 120/' \"$1\"; echo ready > '{ready}'; read line < '{go}'"));
        var other = new Yrcmd(Server);

        var edit = yrmeta.RunAsync("function", "edit", name);
        var editorReady = Task.Run(() => File.ReadAllText(ready), TestContext.Current.CancellationToken);
        Assert.Same(editorReady, await Task.WhenAny(editorReady, edit));
        Assert.Equal(0, (await other.RunAsync("function", "env", "set", name, "OTHER=1")).ExitCode);
        await Task.Run(() => File.WriteAllText(go, "go\n"), TestContext.Current.CancellationToken);
        var run = await edit;

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("(HTTP 412)", run.Error, StringComparison.Ordinal);
        Assert.Contains("changed there: environment", run.Error, StringComparison.Ordinal);
        var kept = run.Error.Split("your edit is kept in ")[1].Split(':')[0];
        Assert.Contains("timeout: 120", await File.ReadAllTextAsync(kept, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        File.Delete(kept);
        var function = await GetAsync(yrmeta, name);
        Assert.Equal(60, (int)function["timeout"]!);
        Assert.Equal("1", (string?)function["environment"]!["OTHER"]);
    }
}