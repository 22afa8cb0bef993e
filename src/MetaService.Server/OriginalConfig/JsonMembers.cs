using System.Globalization;
using System.Text.Json;

using MetaService.Server.Startup;

namespace MetaService.Server.OriginalConfig;

/// <summary>
/// Reads members of one of openYuanrong's JSON files by path (<c>function.default.minCpu</c>), matching names
/// without regard to case as Go's decoder does, and remembers what was read: every member nobody read is
/// reported as unused. A member of the wrong type stops the start with one line naming the file and the member.
/// </summary>
internal sealed class JsonMembers
{
    private readonly JsonElement _root;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private JsonMembers(JsonElement root, string file)
    {
        _root = root;
        File = file;
    }

    /// <summary>The file, as given on the command line.</summary>
    public string File { get; }

    /// <summary>Parses <paramref name="file"/>; <paramref name="flag"/> names the flag that gave it, for messages.</summary>
    public static JsonMembers Load(string file, string flag)
    {
        if (!System.IO.File.Exists(file))
        {
            throw new SettingsException($"{file} ({flag}) does not exist: give the path of openYuanrong's file");
        }

        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(file), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new JsonMembers(document.RootElement.Clone(), file)
                : throw new SettingsException($"{file} ({flag}) is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new SettingsException($"{file} ({flag}) is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Whether the member is present and not null; marks it read, the whole of it (e.g. a section compared as a
    /// whole).</summary>
    public bool Has(string path) => Find(path) is { ValueKind: not JsonValueKind.Null };

    /// <summary>A text member (a number is taken as its text); null when absent.</summary>
    public string? Text(string path) => Find(path) switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => throw WrongType(path, "a text"),
    };

    /// <summary>A true/false member (or the text <c>"true"</c>/<c>"false"</c>); false when absent, as Go's zero value.</summary>
    public bool Flag(string path) => Find(path) switch
    {
        null or { ValueKind: JsonValueKind.Null } => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out var value) => value,
        _ => throw WrongType(path, "true or false"),
    };

    /// <summary>A whole number (or its text, as openYuanrong writes <c>"defaultMaxInstance": "100"</c>); null when absent.</summary>
    public long? Number(string path)
    {
        var text = Text(path);
        return text is null ? null
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw WrongType(path, "a whole number");
    }

    /// <summary>A list of texts; empty when absent.</summary>
    public IReadOnlyList<string> Texts(string path) => Find(path) switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Array } e when e.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String) =>
            [.. e.EnumerateArray().Select(i => i.GetString()!)],
        _ => throw WrongType(path, "a list of texts"),
    };

    /// <summary>Every member present in the file that nothing read, e.g. <c>bucket</c>, <c>function.aliasMax</c>.</summary>
    public IReadOnlyList<string> Unread()
    {
        var unread = new List<string>();
        Walk(_root, "", unread);
        return unread;
    }

    private void Walk(JsonElement element, string prefix, List<string> unread)
    {
        foreach (var member in element.EnumerateObject())
        {
            var path = prefix + member.Name;
            if (_read.Contains(path))
            {
                continue;
            }

            if (member.Value.ValueKind == JsonValueKind.Object && _read.Any(r => r.StartsWith(path + ".", StringComparison.Ordinal)))
            {
                Walk(member.Value, path + ".", unread);
            }
            else
            {
                unread.Add(path);
            }
        }
    }

    /// <summary>The member at <paramref name="path"/>, marked read under the file's own spelling of the names.</summary>
    private JsonElement? Find(string path)
    {
        var element = _root;
        var spelled = new List<string>();
        foreach (var name in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var members = element.EnumerateObject().ToList();
            var match = members.FirstOrDefault(m => m.Name == name);
            if (match.Value.ValueKind == JsonValueKind.Undefined)
            {
                match = members.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
            }

            if (match.Value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }

            spelled.Add(match.Name);
            element = match.Value;
        }

        _read.Add(string.Join('.', spelled));
        return element;
    }

    private SettingsException WrongType(string path, string expected) =>
        new($"{File}: {path} must be {expected}; it is {Find(path)?.GetRawText()}");
}