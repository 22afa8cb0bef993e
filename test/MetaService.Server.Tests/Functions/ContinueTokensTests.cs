using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

using MetaService.Server.Functions;

namespace MetaService.Server.Tests.Functions;

/// <summary>
/// The <c>continue</c> token of a list paged with <c>limit</c> (<see cref="ContinueTokens"/>): the list's revision and the
/// key after which the next page starts, for one query, checked so that an edited or truncated token is refused. The
/// tokens made here by hand follow the documented layout (version, revision, the query's hash, the key; a SHA-256 check),
/// so that a change of layout is seen, not only a change that encoding and decoding make together.
/// </summary>
public sealed class ContinueTokensTests
{
    private const string Query = "default\n/serverless/v1/functions\nname=a";
    private const string Tampered = "the continue token is malformed or was changed; pass the token of the previous answer as it is, or list again without continue. check input parameters";

    [Theory]
    [InlineData(0, "")]
    [InlineData(42, "/sn/functions/business/yrk/tenant/default/function/0-a-b/version/$latest")]
    [InlineData(long.MaxValue, "a\nkey\nwith lines")]
    public void AToken_GivesBackItsRevisionAndKey_ForItsQuery(long revision, string after)
    {
        var token = ContinueTokens.Encode(revision, Query, after);

        Assert.Equal((revision, after), Value(ContinueTokens.Decode(token, Query)));
        Assert.Equal(Made("1", revision.ToString(System.Globalization.CultureInfo.InvariantCulture), QueryHash(Query), after), token);
    }

    [Fact]
    public void ATokenOfAnotherQuery_IsRefused_SayingSo()
    {
        var token = ContinueTokens.Encode(7, Query, "k");

        Assert.Equal(
            "the continue token belongs to another list (tenant, function or filters); pass the same filters, or list again without continue. check input parameters",
            ContinueTokens.Decode(token, Query + "&x").Error!.Message);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public void WhatIsNotAToken_IsRefused(string token)
    {
        Assert.Equal(Tampered, ContinueTokens.Decode(token, Query).Error!.Message);
    }

    [Fact]
    public void AnEditedOrTruncatedToken_IsRefused()
    {
        var bytes = Base64Url.DecodeFromChars(ContinueTokens.Encode(7, Query, "key"));
        var edited = bytes.ToArray();
        edited[2] ^= 1;
        var checkEdited = bytes.ToArray();
        checkEdited[^1] ^= 1;

        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString(edited), Query).Error!.Message);
        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString(checkEdited), Query).Error!.Message);
        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString(bytes.AsSpan(0, bytes.Length - 1)), Query).Error!.Message);
        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString(bytes.AsSpan(1)), Query).Error!.Message);
    }

    [Theory]
    [InlineData("2", "7")]
    [InlineData("", "7")]
    [InlineData("1", "-7")]
    [InlineData("1", "+7")]
    [InlineData("1", "seven")]
    [InlineData("1", "")]
    public void ATokenCheckedRightWithAnotherVersionOrNoRevision_IsRefused(string version, string revision)
    {
        Assert.Equal(Tampered, ContinueTokens.Decode(Made(version, revision, QueryHash(Query), "k"), Query).Error!.Message);
    }

    [Fact]
    public void ATokenCheckedRightWithTooFewParts_IsRefused()
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', "1", "7", QueryHash(Query)));

        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString([.. payload, .. Check(payload)]), Query).Error!.Message);
    }

    [Fact]
    public void ACheckWithoutTheTokensOwnPrefix_IsRefused()
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', "1", "7", QueryHash(Query), "k"));

        Assert.Equal(Tampered, ContinueTokens.Decode(Base64Url.EncodeToString([.. payload, .. SHA256.HashData(payload)[..16]]), Query).Error!.Message);
    }

    private static (long, string) Value(MetaService.Core.Outcome<(long Revision, string After)> outcome)
    {
        Assert.Null(outcome.Error);
        return outcome.Value;
    }

    /// <summary>A token as the layout says: the payload's lines, then the first 16 bytes of the SHA-256 of the token's
    /// prefix and the payload; base64url.</summary>
    private static string Made(string version, string revision, string queryHash, string after)
    {
        var payload = Encoding.UTF8.GetBytes(string.Join('\n', version, revision, queryHash, after));
        return Base64Url.EncodeToString([.. payload, .. Check(payload)]);
    }

    private static byte[] Check(byte[] payload) => SHA256.HashData([.. "metaservice continue token\n"u8, .. payload])[..16];

    private static string QueryHash(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
}