namespace MetaService.Core.Functions;

/// <summary>The lifecycle hooks a runtime calls (§7.1): defaults by kind and runtime, or the request's own.</summary>
public static class HookHandlers
{
    private static readonly string[] HookKeys = ["init", "call", "checkpoint", "recover", "shutdown", "signal"];
    private static readonly string[] FaasNames = ["Init", "Call", "CheckPoint", "Recover", "ShutDown", "Signal"];
    private static readonly string[] YrlibJavaNames = ["Init", "Call", "CheckPoint", "Recover", "Shutdown", "Signal"];

    public static Dictionary<string, string> For(string kind, string runtime, Dictionary<string, string>? requested) => kind switch
    {
        FunctionKinds.Faas when runtime.StartsWith("python", StringComparison.Ordinal) =>
            Build(FaasNames, n => $"faas_executor.faas{n}Handler"),
        FunctionKinds.Faas when runtime.StartsWith("java", StringComparison.Ordinal) =>
            Build(FaasNames, n => $"org.yuanrong.services.handler.FaaSExecutor.faas{n}Handler"),
        FunctionKinds.Yrlib when runtime.StartsWith("java", StringComparison.Ordinal) =>
            Build(YrlibJavaNames, n => $"org.yuanrong.handler.{n}Handler"),
        FunctionKinds.Yrlib when runtime.StartsWith("cpp", StringComparison.Ordinal) =>
            Requested(requested),
        FunctionKinds.Yrlib => HookKeys.ToDictionary(
            k => k,
            k => requested is not null && requested.TryGetValue(k, out var v) && v.Length > 0 ? v : $"yrlib_handler.{k}"),
        "custom" => Requested(requested),
        _ => [],
    };

    private static Dictionary<string, string> Build(string[] names, Func<string, string> handler) =>
        HookKeys.Zip(names).ToDictionary(p => p.First, p => handler(p.Second));

    private static Dictionary<string, string> Requested(Dictionary<string, string>? requested) =>
        requested is null ? [] : requested.Where(p => HookKeys.Contains(p.Key) && p.Value.Length > 0).ToDictionary();
}