using System.Text.Json.Nodes;

using MetaService.Core.History;

namespace MetaService.Cli.Tests;

/// <summary><c>yrmeta function history|diff|restore</c> and <c>yrmeta history</c> against a real server.</summary>
public sealed class HistoryCommandTests : ServerTest
{
    [Fact]
    public async Task History_ListsTheWrites_NewestFirst_AndTheTrailNamesTheFunction()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name, cpu: 600)));
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 900)));

        var history = await yrmeta.RunAsync("function", "history", name);
        var json = await yrmeta.RunAsync("function", "history", name, "-o", "json");
        var trail = await yrmeta.RunAsync("history", "--name", name, "--since", "2000-01-01T00:00:00Z");

        Assert.Equal(0, history.ExitCode);
        var lines = history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("REVISION", lines[0], StringComparison.Ordinal);
        Assert.Contains(" update ", lines[1], StringComparison.Ordinal);
        Assert.Contains("cpu", lines[1], StringComparison.Ordinal);
        Assert.Contains(" create ", lines[2], StringComparison.Ordinal);
        Assert.Equal(["update", "create"], json.Json().AsArray().Select(e => (string)e!["operation"]!));
        Assert.Equal(0, trail.ExitCode);
        Assert.Contains(name, trail.Out.Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_PrintsOneLinePerChange_WithoutColourWhenNotATerminal()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        var created = await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name, cpu: 600)), "-o", "json");
        await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1");
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 900)));

        var diff = await yrmeta.RunAsync("function", "diff", name, "v1", "$latest");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("~ cpu: 600 → 900", diff.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", diff.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_IsColouredByOperation_OnATerminal()
    {
        var line = HistoryCommands.Line(new HistoryChange("memory", "replace", JsonValue.Create(128), JsonValue.Create(256)), colour: true);

        Assert.Equal("\u001b[33m~ memory: 128 → 256\u001b[0m", line);
    }

    [Fact]
    public async Task Restore_DryRunShowsTheChanges_ThenRestores()
    {
        var yrmeta = new Yrcmd(Server);
        var name = Spec.Name();
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("a.json", Spec.Json(name, cpu: 600)));
        await yrmeta.RunAsync("function", "publish", name, "--version-number", "v1");
        await yrmeta.RunAsync("function", "deploy", "-f", Specs.Write("b.json", Spec.Json(name, cpu: 900)));

        var dry = await yrmeta.RunAsync("function", "restore", name, "--from", "v1", "--dry-run");
        var after = await yrmeta.RunAsync("function", "get", name, "-o", "json");
        var restored = await yrmeta.RunAsync("function", "restore", name, "--from", "v1", "-o", "json");
        var missing = await yrmeta.RunAsync("function", "restore", name, "--from", "v9");

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("~ cpu: 900 → 600", dry.Out, StringComparison.Ordinal);
        Assert.Equal(900, (int)after.Json()["cpu"]!);
        Assert.Equal(0, restored.ExitCode);
        Assert.Equal(600, (int)restored.Json()["cpu"]!);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("4116", missing.Error, StringComparison.Ordinal);
    }
}