using BenchmarkDotNet.Attributes;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Load;

namespace MetaService.Bench.Functions;

/// <summary>The stored form of a function record (openYuanrong's format): what every write encodes and every cache
/// miss decodes.</summary>
[MemoryDiagnoser]
public class RecordJsonBenchmarks
{
    private const string Key = "/repo/FunctionVersion/yrk/default//0-bench-fn000001/$latest/";
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
    public FunctionRecord Deserialize() => FunctionEntry.Decode(Key, _json);
}