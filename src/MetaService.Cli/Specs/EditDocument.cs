using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using MetaService.Cli.Output;
using MetaService.Client;
using MetaService.Core.Functions;

using YamlDotNet.Core;

namespace MetaService.Cli.Specs;

/// <summary>
/// The draft as <c>yrmeta function edit</c> shows it: the members an update body can change, as YAML in a file, and
/// the JSON Merge Patch (RFC 7396) from what was shown to what was saved. Both sides are read back through the same
/// YAML reader, so a member left alone is never sent.
/// </summary>
internal static class EditDocument
{
    /// <summary>Members of the draft that an update changes, under the names both the answer and the body use.</summary>
    private static readonly string[] Editable =
    [
        "description", "handler", "cpu", "memory", "timeout", "minInstance", "maxInstance", "concurrentNum", "environment",
        "customResources", "extendedHandler", "extendedTimeout", "hookHandler", "storageType", "codePath", "s3CodePath", "poolId",
        "resourceAffinitySelectors", "enableMetrics", "enableAgentSession", "priorityAz", "sandboxType", "device", "rootfs",
    ];

    /// <summary>Members openYuanrong types as strings of digits: a number given there is sent as its text.</summary>
    private static readonly string[] DigitStrings = ["minInstance", "maxInstance", "concurrentNum"];

    /// <summary>The file the edit of <paramref name="name"/> at <paramref name="revisionId"/> is written to (and kept in
    /// when it cannot be applied).</summary>
    public static string FileFor(string name, string? revisionId)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]);
        return Path.Combine(Path.GetTempPath(), $"yrmeta-edit-{safe}-{revisionId}.yaml");
    }

    /// <summary>The text shown in the editor: a header of comments, then the editable members as YAML.</summary>
    public static string Text(string name, FunctionView draft)
    {
        var all = JsonSerializer.SerializeToNode(draft, ClientJson.Info<FunctionView>(ClientJson.Lenient))!.AsObject();
        var shown = new JsonObject();
        foreach (var member in Editable)
        {
            if (all.TryGetPropertyValue(member, out var value))
            {
                shown[member] = value?.DeepClone();
            }
        }

        var text = new StringBuilder()
            .AppendLine($"# yrmeta function edit {name} (revisionId {draft.RevisionId}): change members, save and quit.")
            .AppendLine("# Only what you change is sent (a JSON Merge Patch, applied only if nobody changed the function meanwhile);")
            .AppendLine("# a member you delete is reset to its default; members not shown here keep their values.");
        using var writer = new StringWriter(text);
        YamlText.Write(writer, shown);
        return text.ToString();
    }

    /// <summary>The members of a document as the YAML reader reads them (for the text just written, or the saved file).</summary>
    public static JsonObject Read(string text, string path)
    {
        try
        {
            return YamlText.Read(new StringReader(text)) as JsonObject ?? [];
        }
        catch (YamlException e)
        {
            throw new SpecException($"{path}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}; your edit is kept there");
        }
    }

    /// <summary>The merge patch that turns <paramref name="before"/> into <paramref name="after"/>: changed members,
    /// objects member by member, removed members as null.</summary>
    public static JsonObject Diff(JsonObject before, JsonObject after)
    {
        var patch = new JsonObject();
        foreach (var (member, _) in before)
        {
            if (!after.ContainsKey(member))
            {
                patch[member] = null;
            }
        }

        foreach (var (member, value) in after)
        {
            if (!before.TryGetPropertyValue(member, out var old))
            {
                patch[member] = value?.DeepClone();
            }
            else if (old is JsonObject oldMembers && value is JsonObject newMembers)
            {
                if (Diff(oldMembers, newMembers) is { Count: > 0 } nested)
                {
                    patch[member] = nested;
                }
            }
            else if (!JsonNode.DeepEquals(old, value))
            {
                patch[member] = value?.DeepClone();
            }
        }

        return DigitsAsText(patch);
    }

    /// <summary>The top-level members whose values differ between two documents.</summary>
    public static List<string> Changed(JsonObject before, JsonObject after) =>
        [.. before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(m => !JsonNode.DeepEquals(before[m], after[m]))];

    /// <summary>A patch with the instance counts as text, as the update body types them.</summary>
    public static JsonObject DigitsAsText(JsonObject patch)
    {
        foreach (var member in DigitStrings)
        {
            if (patch[member] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
            {
                patch[member] = value.ToJsonString();
            }
        }

        return patch;
    }

    /// <summary>Runs <c>$EDITOR</c> (else <c>$VISUAL</c>, else vi) on <paramref name="path"/> and waits for it.</summary>
    public static async Task RunEditorAsync(CliHost host, string path, CancellationToken cancellationToken)
    {
        var editor = host.Variable("EDITOR") is { Length: > 0 } given ? given : host.Variable("VISUAL") is { Length: > 0 } visual ? visual : "vi";
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(editor) : new ProcessStartInfo("/bin/sh");
        if (!OperatingSystem.IsWindows())
        {
            // Through the shell, so that EDITOR may carry options ("code --wait").
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(editor + " \"$1\"");
            start.ArgumentList.Add("yrmeta-editor");
        }

        start.ArgumentList.Add(path);
        start.UseShellExecute = false;
        try
        {
            using var process = Process.Start(start) ?? throw new UsageException($"the editor ({editor}) did not start; your draft is in {path}");
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new UsageException($"the editor ({editor}) exited with {process.ExitCode}: nothing was sent; the file is {path}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UsageException($"cannot start the editor ({editor}): {e.Message}; set EDITOR");
        }
    }
}