using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MetaService.Server.Tests;

/// <summary>Unique function names, so that every test owns its data on a shared server.</summary>
public static class Names
{
    /// <summary>A fresh hex fragment: 8 lowercase hex digits.</summary>
    public static string Hex() => Guid.NewGuid().ToString("N")[..8];

    /// <summary><c>0@svc@fn-&lt;hex&gt;</c>, the faas naming convention.</summary>
    public static string Faas() => $"0@svc@fn-{Hex()}";

    /// <summary><c>0-svc-fn&lt;hex&gt;</c>, the yrlib naming convention.</summary>
    public static string Yrlib() => $"0-svc-fn{Hex()}";
}

/// <summary>Request bodies, as raw JSON the way the reference's clients send them.</summary>
public static class Bodies
{
    /// <summary>The create body of Appendix A of the reference, under <paramref name="name"/>.</summary>
    public static JsonObject Faas(string name) => Parse($$$"""
        {"name":"{{{name}}}","runtime":"python3.9","handler":"handler.handler","kind":"faas","cpu":300,"memory":128,
         "timeout":60,"environment":{"A":"1"},"minInstance":"0","maxInstance":"1","concurrentNum":"1",
         "storageType":"local","codePath":"/code","extendedHandler":{"initializer":"handler.init"}}
        """);

    /// <summary>Appendix A's body with kind yrlib.</summary>
    public static JsonObject Yrlib(string name) => Parse($$$"""
        {"name":"{{{name}}}","runtime":"python3.9","handler":"handler.handler","kind":"yrlib","cpu":300,"memory":128,
         "timeout":60,"environment":{"A":"1"},"minInstance":"0","maxInstance":"1","concurrentNum":"1",
         "storageType":"local","codePath":"/code","extendedHandler":{"initializer":"handler.init"}}
        """);

    /// <summary>The create example of Doc register_function (§3.1 of the reference), under <paramref name="name"/>.</summary>
    public static JsonObject DocCreateExample(string name) => Parse($$"""
        {"name":"{{name}}","runtime":"python3.9","handler":"handler.my_handler","kind":"faas",
         "cpu":600,"memory":512,"timeout":600,"environment":{},"customResources":{},
         "extendedHandler":{"initializer":"handler.init","pre_stop":"test.prestop"},
         "extendedTimeout":{"initializer":600,"pre_stop":10},
         "minInstance":"0","maxInstance":"10","concurrentNum":"2",
         "storageType":"local","codePath":"/home/sn/function-packages","s3CodePath":{},
         "poolId":"pool1","resourceAffinitySelectors":[{"group":"rg1","priority":1}]}
        """);

    /// <summary>The request example of the update page (update-function.txt), with <paramref name="revisionId"/>.</summary>
    public static JsonObject DocUpdateExample(string revisionId) => Parse($$"""
        {
            "revisionId": "{{revisionId}}",
            "description": "this is a function",
            "handler": "handler.my_handler",
            "kind": "faas",
            "cpu": 600,
            "memory": 512,
            "timeout": 600,
            "customResources": {},
            "environment": {},
            "extendedHandler": {
                "initializer": "handler.init",
                "pre_stop": "test.prestop"
            },
            "extendedTimeout": {
                "initializer": 600,
                "pre_stop": 10
            },
            "minInstance": "0",
            "maxInstance": "10",
            "concurrentNum": "2",
            "storageType": "local",
            "codePath": "/home/sn/function-packages",
            "s3CodePath": {
            },
            "resourceAffinitySelectors": [
                  {
                    "group": "rg1",
                    "priority": 1
                },
                 {
                    "group": "rg2",
                    "priority": 2
                }
            ]
        }
        """);

    /// <summary>A minimal update body: the revisionId and, when given, the kind.</summary>
    public static JsonObject Update(string revisionId, string? kind = null)
    {
        var body = new JsonObject { ["revisionId"] = revisionId };
        if (kind is not null)
        {
            body["kind"] = kind;
        }

        return body;
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary><paramref name="body"/> with <paramref name="member"/> set to the JSON <paramref name="json"/>.</summary>
    public static JsonObject With(this JsonObject body, string member, string json)
    {
        body[member] = JsonNode.Parse(json);
        return body;
    }

    public static JsonObject Without(this JsonObject body, string member)
    {
        body.Remove(member);
        return body;
    }
}

/// <summary>The wire formats of §2.5: timestamps, revisionIds, URNs, default version numbers.</summary>
public static partial class Formats
{
    public static string DraftUrn(string name, string draft = "latest", string tenant = "default") =>
        $"sn:cn:yrk:{tenant}:function:{name}:{draft}";

    public static string FunctionUrn(string name, string tenant = "default") => $"sn:cn:yrk:{tenant}:function:{name}";

    /// <summary>The instant a revisionId names: 14 digits of seconds, then milliseconds with trailing zeros dropped.</summary>
    public static DateTime RevisionTime(string revisionId)
    {
        Assert.Matches(RevisionId(), revisionId);
        var seconds = DateTime.ParseExact(revisionId[..14], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return seconds.AddMilliseconds(int.Parse(revisionId[14..].PadRight(3, '0'), CultureInfo.InvariantCulture));
    }

    public static string Text(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    public static void AssertNumber(long expected, JsonNode? node)
    {
        Assert.NotNull(node);
        Assert.Equal(JsonValueKind.Number, node.GetValueKind());
        Assert.Equal(expected, (long)node);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC\z")]
    public static partial Regex Timestamp();

    [GeneratedRegex(@"^\d{14,17}\z")]
    public static partial Regex RevisionId();

    [GeneratedRegex(@"^v\d{8}-\d{6}\z")]
    public static partial Regex DefaultVersionNumber();
}