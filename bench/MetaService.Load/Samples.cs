using System.Globalization;
using System.Text;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Functions;

namespace MetaService.Load;

/// <summary>The function bodies the harness sends and seeds: Appendix A of the reference, kind yrlib.</summary>
public static class Samples
{
    /// <summary>The name filter that matches exactly 100 seeded functions at every data-set size.</summary>
    public const string HundredFilter = "fn0000";

    /// <summary><c>0-bench-fn000042</c>: the yrlib naming convention, numbered so that filters select known counts.</summary>
    public static string Name(int index) => "0-bench-fn" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static string CreateBody(string name) => $$"""
        {"name":"{{name}}","runtime":"python3.9","handler":"handler.handler","kind":"yrlib","cpu":300,"memory":128,
         "timeout":60,"description":"a benchmark function","environment":{"A":"1","LOG_LEVEL":"info"},
         "minInstance":"0","maxInstance":"10","concurrentNum":"2","storageType":"local","codePath":"/home/sn/function-packages",
         "extendedHandler":{"initializer":"handler.init","pre_stop":"handler.prestop"},"extendedTimeout":{"initializer":600,"pre_stop":10},
         "customResources":{},"poolId":"pool1","resourceAffinitySelectors":[{"group":"rg1","priority":1}]}
        """;

    public static string UpdateBody(string revisionId, int i) =>
        $$"""{"revisionId":"{{revisionId}}","cpu":{{300 + (i % 1000)}},"memory":128,"description":"update {{i}}"}""";

    public static FunctionRequest CreateRequest(string name) =>
        JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(CreateBody(name)), MetaJson.Default.FunctionRequest)!;
}