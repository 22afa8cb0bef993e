using System.Globalization;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.Records;

namespace MetaService.Server.Ui.Editing;

/// <summary>One input of the function form: its name (the API's member where there is one), its label, its input type.</summary>
public sealed record FormField(string Id, string Label, string Type = "text", bool CreateOnly = false);

/// <summary>One environment row: a name, a value, and whether the value is hidden (masked and not typed over: the stored
/// value of that name is kept).</summary>
public sealed record EnvRow(string Name, string Value, bool Kept);

/// <summary>
/// The create and edit form as text, as the browser posts it: the fields the console shows, and the environment as rows.
/// It becomes the API's <see cref="FunctionRequest"/>: on create, the form's fields alone; on edit, the body that keeps the
/// draft as it is (<see cref="FunctionPatch.BodyOf"/>) with the form's fields over it, so members the form does not show
/// stay as they are. Only the form's own parsing (a number that is not one) is checked here; every rule is the API's.
/// </summary>
public sealed record FunctionForm(IReadOnlyDictionary<string, string> Values, IReadOnlyList<EnvRow> Environment)
{
    public const int BlankRows = 3;
    public const int MaxRows = 200;

    public static readonly FormField[] Fields =
    [
        new("name", "Name", CreateOnly: true), new("kind", "Kind", "select", true), new("runtime", "Runtime", "select", true),
        new("handler", "Handler"), new("description", "Description"),
        new("storageType", "Storage type"), new("codePath", "Code path"), new("bucketId", "Bucket"), new("objectId", "Object"),
        new("cpu", "CPU (millicores)", "number"), new("memory", "Memory (MB)", "number"), new("timeout", "Timeout (s)", "number"),
        new("minInstance", "Minimum instances", "number"), new("maxInstance", "Maximum instances", "number"), new("concurrentNum", "Concurrent requests", "number"),
        new("initializer", "Initializer handler"), new("initializerTimeout", "Initializer timeout (s)", "number"),
        new("preStop", "Pre-stop handler"), new("preStopTimeout", "Pre-stop timeout (s)", "number"),
    ];

    private static readonly string[] Numbers = ["cpu", "memory", "timeout", "initializerTimeout", "preStopTimeout"];

    public string this[string id] => Values.TryGetValue(id, out var value) ? value : "";

    /// <summary>An empty create form (faas, the first runtime, the configured defaults left to the server).</summary>
    public static FunctionForm Blank(string runtime) =>
        new(new Dictionary<string, string> { ["kind"] = FunctionKinds.Faas, ["runtime"] = runtime, ["storageType"] = "local" }, []);

    /// <summary>The form of <paramref name="record"/>; environment values left out (kept) unless <paramref name="reveal"/>.</summary>
    public static FunctionForm From(FunctionRecord record, bool reveal)
    {
        var values = new Dictionary<string, string>
        {
            ["name"] = record.Name,
            ["kind"] = record.Kind,
            ["runtime"] = record.Runtime,
            ["handler"] = record.Handler,
            ["description"] = record.Description,
            ["storageType"] = record.StorageType,
            ["codePath"] = record.CodePath,
            ["bucketId"] = record.S3CodePath.BucketId ?? "",
            ["objectId"] = record.S3CodePath.ObjectId ?? "",
            ["cpu"] = Text(record.Cpu),
            ["memory"] = Text(record.Memory),
            ["timeout"] = Text(record.Timeout),
            ["minInstance"] = Text(record.MinInstance),
            ["maxInstance"] = Text(record.MaxInstance),
            ["concurrentNum"] = Text(record.ConcurrentNum),
            ["initializer"] = Handler(record, "initializer"),
            ["initializerTimeout"] = Timeout(record, "initializer"),
            ["preStop"] = Handler(record, "pre_stop"),
            ["preStopTimeout"] = Timeout(record, "pre_stop"),
        };
        var rows = record.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => reveal ? new EnvRow(e.Key, e.Value, false) : new EnvRow(e.Key, "", true));
        return new FunctionForm(values, [.. rows]);
    }

    /// <summary>The form as posted (fields the form does not have are ignored; at most <see cref="MaxRows"/> rows).</summary>
    public static FunctionForm Read(IFormCollection form)
    {
        var values = Fields.ToDictionary(f => f.Id, f => form[f.Id].ToString().Trim());
        var names = form["env.name"];
        var texts = form["env.value"];
        var kept = form["env.keep"];
        var rows = new List<EnvRow>();
        for (var i = 0; i < Math.Min(names.Count, MaxRows); i++)
        {
            var name = (names[i] ?? "").Trim();
            var value = i < texts.Count ? texts[i] ?? "" : "";
            if (name.Length > 0)
            {
                rows.Add(new EnvRow(name, value, value.Length == 0 && i < kept.Count && kept[i] == "1"));
            }
        }

        return new FunctionForm(values, rows);
    }

    /// <summary>The environment the form asks for; a kept value is <paramref name="stored"/>'s value of that name.</summary>
    public Dictionary<string, string> EnvironmentOver(IReadOnlyDictionary<string, string>? stored)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Environment)
        {
            environment[row.Name] = row.Kept ? (stored is not null && stored.TryGetValue(row.Name, out var value) ? value : "") : row.Value;
        }

        return environment;
    }

    /// <summary>The API's request this form says: over <paramref name="draft"/> on edit, alone on create (null). A field
    /// that must be a number and is not one is refused here, named, before the API sees the request.</summary>
    public Outcome<FunctionRequest> ToRequest(FunctionRecord? draft)
    {
        var numbers = new Dictionary<string, long?>();
        foreach (var id in Numbers)
        {
            var text = this[id];
            if (text.Length == 0)
            {
                numbers[id] = null;
            }
            else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                numbers[id] = number;
            }
            else
            {
                return MetaError.InvalidParam($"{id} '{text}' is not a whole number");
            }
        }

        var body = draft is null ? new FunctionRequest { Name = this["name"], Kind = this["kind"], Runtime = this["runtime"] } : FunctionPatch.BodyOf(draft);
        var handlers = new Dictionary<string, string>(body.ExtendedHandler ?? [], StringComparer.Ordinal);
        var timeouts = new Dictionary<string, long>(body.ExtendedTimeout ?? [], StringComparer.Ordinal);
        Hook(handlers, timeouts, "initializer", this["initializer"], numbers["initializerTimeout"]);
        Hook(handlers, timeouts, "pre_stop", this["preStop"], numbers["preStopTimeout"]);
        return body with
        {
            Handler = this["handler"],
            Description = this["description"],
            StorageType = this["storageType"],
            CodePath = this["codePath"],
            S3CodePath = (body.S3CodePath ?? new S3CodePath()) with { BucketId = this["bucketId"], ObjectId = this["objectId"] },
            Cpu = numbers["cpu"],
            Memory = numbers["memory"],
            Timeout = numbers["timeout"],
            MinInstance = NullIfEmpty(this["minInstance"]),
            MaxInstance = NullIfEmpty(this["maxInstance"]),
            ConcurrentNum = NullIfEmpty(this["concurrentNum"]),
            Environment = EnvironmentOver(draft?.Environment),
            ExtendedHandler = handlers.Count == 0 && body.ExtendedHandler is null ? null : handlers,
            ExtendedTimeout = timeouts.Count == 0 && body.ExtendedTimeout is null ? null : timeouts,
        };
    }

    /// <summary>
    /// "Re-apply my changes": what this form changed from <paramref name="baseline"/> (the draft it was loaded from), put
    /// over <paramref name="current"/> (the draft someone else saved since): a field or environment variable the user did
    /// not change takes the current draft's value; one the user changed keeps the user's. Kept (hidden) values stay hidden.
    /// </summary>
    public FunctionForm Reapplied(FunctionRecord baseline, FunctionRecord current)
    {
        var before = From(baseline, reveal: true);
        var now = From(current, reveal: true);
        var values = Fields.ToDictionary(f => f.Id, f => this[f.Id] != before[f.Id] ? this[f.Id] : now[f.Id]);

        var mine = EnvironmentOver(baseline.Environment);
        var merged = new Dictionary<string, string>(current.Environment, StringComparer.Ordinal);
        foreach (var name in mine.Keys.Union(baseline.Environment.Keys))
        {
            var had = baseline.Environment.TryGetValue(name, out var old);
            var has = mine.TryGetValue(name, out var value);
            if (!has && had)
            {
                merged.Remove(name);
            }
            else if (has && (!had || value != old))
            {
                merged[name] = value!;
            }
        }

        var typed = Environment.Where(r => !r.Kept).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var rows = merged.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => typed.Contains(e.Key) || !current.Environment.TryGetValue(e.Key, out var stored) || stored != e.Value ? new EnvRow(e.Key, e.Value, false) : new EnvRow(e.Key, "", true));
        return new FunctionForm(values, [.. rows]);
    }

    private static void Hook(Dictionary<string, string> handlers, Dictionary<string, long> timeouts, string hook, string handler, long? timeout)
    {
        if (handler.Length == 0)
        {
            handlers.Remove(hook);
            timeouts.Remove(hook);
            return;
        }

        handlers[hook] = handler;
        if (timeout is { } seconds)
        {
            timeouts[hook] = seconds;
        }
        else
        {
            timeouts.Remove(hook);
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Handler(FunctionRecord record, string hook) =>
        record.ExtendedHandler is { } handlers && handlers.TryGetValue(hook, out var handler) ? handler : "";

    private static string Timeout(FunctionRecord record, string hook) =>
        record.ExtendedTimeout is { } timeouts && timeouts.TryGetValue(hook, out var seconds) && seconds > 0 ? Text(seconds) : "";
}