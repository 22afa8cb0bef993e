using System.Text.Json;

namespace MetaService.Tests.Fixtures;

/// <summary>
/// A strict reader of openYuanrong's stored records, written from the Go struct definitions of its meta_service
/// (<c>function_repo/storage/types.go</c> and <c>common/types/types.go</c>): every member Go writes must be there,
/// with Go's exact name and JSON type, and nothing else. Go writes every member of these structs (only
/// <c>Device</c>'s are <c>omitempty</c>); nil maps and slices are <c>null</c>.
/// </summary>
public static class OriginalRecordShape
{
    private static readonly Shape Str = new Leaf(JsonValueKind.String);
    private static readonly Shape Int = new Whole();
    private static readonly Shape Bool = new Flag();
    private static readonly Shape StrMap = new MapOf(Str);
    private static readonly Shape StrList = new ListOf(Str);

    private static readonly Shape Function = Obj(
        ("Name", Str), ("ReversedConcurrency", Int), ("Version", Str), ("Description", Str), ("Tag", StrMap), ("CreateTime", Str), ("UpdateTime", Str));

    private static readonly Shape Package = Obj(
        ("StorageType", Str), ("CodeUploadType", Str), ("Signature", Str), ("Size", Int), ("BucketID", Str), ("ObjectID", Str),
        ("BucketUrl", Str), ("Token", Str), ("CodePath", Str));

    private static readonly Shape Device = new Struct([("model", Str), ("hbm", Int), ("type", Str), ("count", Int), ("latency", Int), ("stream", Int)], AllOptional: true);

    private static readonly Shape Rootfs = Obj(
        ("runtime", Str), ("type", Str), ("imageurl", Str), ("user", Str), ("ports", StrList), ("path", Str), ("readonly", Bool),
        ("storageInfo", Obj(("endpoint", Str), ("bucket", Str), ("object", Str), ("accessKey", Str), ("secretKey", Str))),
        ("mountpoint", Str), ("mounts", new ListOf(Obj(("source", Str), ("target", Str), ("readonly", Bool)))));

    private static readonly Shape Version = Obj(
        ("Package", Package), ("RevisionID", Str), ("Handler", Str), ("CPU", Int), ("Memory", Int), ("Runtime", Str), ("Timeout", Int),
        ("Version", Str), ("Environment", Str), ("CustomResources", Str), ("Description", Str), ("StatefulFlag", Int), ("PublishTime", Str),
        ("MinInstance", Int), ("MaxInstance", Int), ("ConcurrentNum", Int), ("Status", Str), ("Kind", Str), ("FunctionType", Str),
        ("FuncName", Str), ("Service", Str), ("IsBridgeFunction", Bool), ("EnableAuthInHeader", Bool), ("InstanceNum", Int),
        ("HookHandler", StrMap), ("ExtendedHandler", StrMap), ("ExtendedTimeout", new MapOf(Int)), ("CacheInstance", Int), ("Device", Device),
        ("PoolLabel", Str), ("PoolID", Str), ("EnableMetrics", Bool), ("EnableAgentSession", Bool), ("EnableSessionCtx", Bool),
        ("ScalePolicy", Str), ("SchedulePolicy", Str), ("PriorityAZ", Str), ("IdleTime", Int),
        ("AutoScaleConfig", Obj(("SLAQuota", Int), ("ScaleDownTime", Int), ("BurstScaleNum", Int))), ("WarmupType", Str),
        ("RootfsSpecMeta", Rootfs),
        ("CustomContainerConfig", Obj(("control_path", Str), ("image", Str), ("command", StrList), ("args", StrList), ("working_dir", Str), ("uid", Int), ("gid", Int))),
        ("CustomHealthCheck", Obj(("timeoutSeconds", Int), ("periodSeconds", Int), ("failureThreshold", Int))),
        ("IsFuncPublic", Bool), ("SandboxType", Str));

    /// <summary><c>FunctionVersionValue</c>.</summary>
    public static readonly Shape Record = Obj(
        ("Function", Function), ("FunctionVersion", Version), ("FunctionLayer", new ListOf(Obj(("Name", Str), ("Version", Int), ("Order", Int)))));

    /// <summary><c>FunctionStatusValue</c>.</summary>
    public static readonly Shape Status = Obj(("Status", Str), ("InstanceNum", Int));

    /// <summary><c>ObjectRefIndexValue</c>.</summary>
    public static readonly Shape ObjectRef = Obj(("RefCnt", Int));

    /// <summary>Every way <paramref name="json"/> is not a value of <paramref name="shape"/> as Go writes it; empty when it is.</summary>
    public static List<string> Problems(string json, Shape shape)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        shape.Check(document.RootElement, "$", problems);
        return problems;
    }

    private static Struct Obj(params (string Name, Shape Shape)[] members) => new(members, AllOptional: false);

    public abstract record Shape
    {
        public abstract void Check(JsonElement value, string path, List<string> problems);
    }

    private sealed record Leaf(JsonValueKind Kind) : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind != Kind)
            {
                problems.Add($"{path}: {value.ValueKind} where Go has a {Kind}");
            }
        }
    }

    private sealed record Whole : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
            {
                problems.Add($"{path}: {value.GetRawText()} where Go has an integer");
            }
        }
    }

    private sealed record Flag : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add($"{path}: {value.ValueKind} where Go has a bool");
            }
        }
    }

    /// <summary>A Go map: an object of any keys, or null (a nil map).</summary>
    private sealed record MapOf(Shape Item) : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: {value.ValueKind} where Go has a map");
                return;
            }

            foreach (var member in value.EnumerateObject())
            {
                Item.Check(member.Value, $"{path}.{member.Name}", problems);
            }
        }
    }

    /// <summary>A Go slice: an array, or null (a nil slice).</summary>
    private sealed record ListOf(Shape Item) : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}: {value.ValueKind} where Go has a slice");
                return;
            }

            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Item.Check(item, $"{path}[{i++}]", problems);
            }
        }
    }

    /// <summary>A Go struct: exactly these members (case-sensitive); with <paramref name="AllOptional"/>, each may be left out.</summary>
    private sealed record Struct((string Name, Shape Shape)[] Members, bool AllOptional) : Shape
    {
        public override void Check(JsonElement value, string path, List<string> problems)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{path}: {value.ValueKind} where Go has a struct");
                return;
            }

            var known = Members.ToDictionary(m => m.Name, m => m.Shape, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in value.EnumerateObject())
            {
                if (!known.TryGetValue(member.Name, out var shape))
                {
                    problems.Add($"{path}.{member.Name}: not a member of the Go struct");
                    continue;
                }

                seen.Add(member.Name);
                shape.Check(member.Value, $"{path}.{member.Name}", problems);
            }

            if (!AllOptional)
            {
                problems.AddRange(Members.Where(m => !seen.Contains(m.Name)).Select(m => $"{path}.{m.Name}: missing"));
            }
        }
    }
}