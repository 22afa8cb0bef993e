using System.Text.Json.Nodes;

namespace MetaService.Console.Tests;

/// <summary>Create bodies, as the API's clients send them.</summary>
public static class Bodies
{
    public static JsonObject Yrlib(string name, string runtime = "python3.9", JsonObject? environment = null) => new()
    {
        ["name"] = name,
        ["runtime"] = runtime,
        ["kind"] = "yrlib",
        ["handler"] = "handler.main",
        ["cpu"] = 600,
        ["memory"] = 512,
        ["timeout"] = 60,
        ["environment"] = environment ?? new JsonObject { ["GREETING"] = "hi" },
        ["storageType"] = "local",
        ["codePath"] = "/opt/code/" + name,
    };

    public static JsonObject Faas(string name, JsonObject? environment = null) => new()
    {
        ["name"] = name,
        ["runtime"] = "python3.9",
        ["kind"] = "faas",
        ["handler"] = "handler.handler",
        ["cpu"] = 300,
        ["memory"] = 128,
        ["timeout"] = 60,
        ["environment"] = environment ?? new JsonObject { ["A"] = "1" },
        ["minInstance"] = "0",
        ["maxInstance"] = "4",
        ["concurrentNum"] = "2",
        ["storageType"] = "local",
        ["codePath"] = "/code",
        ["extendedHandler"] = new JsonObject { ["initializer"] = "handler.init" },
    };
}