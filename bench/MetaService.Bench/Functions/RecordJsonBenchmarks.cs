using System.Text.Json;

using BenchmarkDotNet.Attributes;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Load;

namespace MetaService.Bench.Functions;

/// <summary>The stored JSON of a full function record: what every write encodes and every cache miss decodes.</summary>
[MemoryDiagnoser]
public class RecordJsonBenchmarks
{
    private FunctionRecord _record = null!;
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        _record = FunctionRules.BuildDraft(Samples.CreateRequest(Samples.Name(1)), Tenant.Default, new MetaOptions(), TimeProvider.System).Value!;
        _json = FunctionEntry.Encode(_record);
    }

    [Benchmark]
    public byte[] Serialize() => FunctionEntry.Encode(_record);

    [Benchmark]
    public FunctionRecord? Deserialize() => JsonSerializer.Deserialize(_json, MetaJson.Default.FunctionRecord);
}