using System.Text.Json;
using System.Text.Json.Serialization;

namespace MetaService.Client;

/// <summary>An API token as MetaService shows it; <see cref="Token"/> only in the answer that created it.</summary>
public sealed record ApiToken
{
    public string Id { get; init; } = "";

    public string Tenant { get; init; } = "";

    public string Product { get; init; } = "";

    public string Role { get; init; } = "";

    public string Description { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }
}

/// <summary>What <c>POST /serverless/v1/tokens</c> takes.</summary>
public sealed record ApiTokenRequest
{
    public string? Tenant { get; init; }

    public string? Product { get; init; }

    public required string Role { get; init; }

    public string? Description { get; init; }

    public long? ExpiresInSeconds { get; init; }
}

public sealed record ApiTokenAnswer(int Code, string? Message, ApiToken? Token);

public sealed record ApiTokenList(int Code, string? Message, List<ApiToken>? Tokens);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(ApiToken))]
[JsonSerializable(typeof(List<ApiToken>))]
[JsonSerializable(typeof(ApiTokenRequest))]
[JsonSerializable(typeof(ApiTokenAnswer))]
[JsonSerializable(typeof(ApiTokenList))]
public sealed partial class TokenJson : JsonSerializerContext;