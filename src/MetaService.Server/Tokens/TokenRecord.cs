using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using MetaService.Server.Auth;

namespace MetaService.Server.Tokens;

/// <summary>
/// One API token as the store keeps it, at <c>/metaservice/tokens/&lt;id&gt;</c>: never the token itself, only its
/// SHA-256 (the token is 256 random bits, so a fast hash is enough). The id is the first 16 hex digits of that hash, so
/// a presented token finds its record with one lookup.
/// </summary>
public sealed record TokenRecord
{
    public const string Prefix = Core.Storage.PlatformKeys.OwnRoot + "tokens/";

    /// <summary>The start of every token this server makes (<c>yrm_</c> and 43 base64url characters).</summary>
    public const string TokenStart = "yrm_";

    public required string Id { get; init; }

    public required string Hash { get; init; }

    public required string Tenant { get; init; }

    /// <summary>Empty for none. (The JSON context sets every init-only member, to null where the stored value has none: a
    /// null is taken as empty here and in <see cref="Description"/>.)</summary>
    public string Product { get; init => field = value ?? ""; } = "";

    [JsonConverter(typeof(JsonStringEnumConverter<Role>))]
    public required Role Role { get; init; }

    public string Description { get; init => field = value ?? ""; } = "";

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public string Key => Prefix + Id;

    public static string KeyOf(string id) => Prefix + id;

    /// <summary>The SHA-256 of <paramref name="token"/>, lower-case hex.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string IdOf(string hash) => hash[..16];

    /// <summary>A new token: <c>yrm_</c> and 32 random bytes in base64url.</summary>
    public static string NewToken() => TokenStart + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Matches(string hash) => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash));

    public bool ExpiredAt(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, TokenJson.Default.TokenRecord);

    /// <summary>The record in <paramref name="value"/>, or null when it is not one (a key someone else wrote).</summary>
    public static TokenRecord? FromBytes(byte[] value)
    {
        try
        {
            return JsonSerializer.Deserialize(value, TokenJson.Default.TokenRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A token as the API shows it: the record without its hash; <see cref="Token"/> only in the create answer.</summary>
public sealed record TokenView(string Id, string Tenant, string Product, string Role, string Description, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Token { get; init; }

    public static TokenView From(TokenRecord record) =>
        new(record.Id, record.Tenant, record.Product, record.Role.ToString().ToLowerInvariant(), record.Description, record.CreatedAt, record.ExpiresAt);
}

/// <summary>The create body: the tenant (default: the request's <c>X-Tenant-Id</c>, else <c>default</c>), product, role
/// (<c>viewer</c>, <c>editor</c>, <c>admin</c>), a description, and a lifetime in seconds (absent: no expiry).</summary>
public sealed record TokenRequest
{
    public string? Tenant { get; init; }

    public string? Product { get; init; }

    public string? Role { get; init; }

    public string? Description { get; init; }

    public long? ExpiresInSeconds { get; init; }
}

public sealed record TokenEnvelope(int Code, string Message, TokenView Token);

public sealed record TokenListEnvelope(int Code, string Message, IReadOnlyList<TokenView> Tokens);

public sealed record TokenRevokedEnvelope(int Code, string Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TokenRecord))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenEnvelope))]
[JsonSerializable(typeof(TokenListEnvelope))]
[JsonSerializable(typeof(TokenRevokedEnvelope))]
public sealed partial class TokenJson : JsonSerializerContext;