using BenchmarkDotNet.Attributes;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Load;

namespace MetaService.Bench.Functions;

/// <summary>Validation of a create (<see cref="FunctionRules.BuildDraft"/>), the merge of an update, and URN parsing.</summary>
[MemoryDiagnoser]
public class RulesBenchmarks
{
    private readonly MetaOptions _options = new();
    private readonly string _plainName = "0-bench-fn000001";
    private readonly string _versionUrn = "sn:cn:yrk:default:function:0-bench-fn000001:v1";
    private FunctionRequest _create = null!;
    private FunctionRequest _update = null!;
    private FunctionRecord _draft = null!;

    [GlobalSetup]
    public void Setup()
    {
        _create = Samples.CreateRequest(Samples.Name(1));
        _draft = FunctionRules.BuildDraft(_create, Tenant.Default, _options, TimeProvider.System).Value!;
        _update = System.Text.Json.JsonSerializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(Samples.UpdateBody(_draft.RevisionId, 7)), MetaJson.Default.FunctionRequest)!;
    }

    [Benchmark]
    public Outcome<FunctionRecord> BuildDraft() => FunctionRules.BuildDraft(_create, Tenant.Default, _options, TimeProvider.System);

    [Benchmark]
    public Outcome<FunctionRecord> Merge() => FunctionRules.Merge(_draft, _update, _options, TimeProvider.System);

    [Benchmark]
    public bool ParsePlainName() => FunctionNames.TryParsePathName(_plainName, Tenant.Default, out _, out _);

    [Benchmark]
    public bool ParseVersionUrn() => FunctionNames.TryParsePathName(_versionUrn, Tenant.Default, out _, out _);
}