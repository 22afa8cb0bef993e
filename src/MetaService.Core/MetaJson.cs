using System.Text.Json.Serialization;

using MetaService.Core.Functions;
using MetaService.Core.Publishing;
using MetaService.Core.Records;

namespace MetaService.Core;

/// <summary>Source-generated JSON for the core's records: stored records, platform values, request bodies.
/// Names are camelCase, reads are case-insensitive (as Go's decoder is), unknown members are ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(FunctionRecord))]
[JsonSerializable(typeof(FunctionRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(FunctionView))]
[JsonSerializable(typeof(FaasFunctionMeta))]
[JsonSerializable(typeof(YrFunctionMeta))]
[JsonSerializable(typeof(InstanceKeyValue))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
public sealed partial class MetaJson : JsonSerializerContext;