using System.Text;

using MetaService.Server.Auth;
using MetaService.Server.Tokens;

namespace MetaService.Server.Tests.Auth;

/// <summary>A stored token record as it is read back: expired from the instant its expiry names, members an earlier
/// writer left out at their defaults, and a value that is not a record (a key someone else wrote) as none.</summary>
public sealed class TokenRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AToken_IsExpired_FromTheInstantItsExpiryNames()
    {
        var record = TokenRecord.FromBytes(Encoding.UTF8.GetBytes($$"""{"id":"00000000000000ff","hash":"ff","tenant":"alpha","role":"viewer","createdAt":"2026-12-01T00:00:00+00:00","expiresAt":"{{Now:O}}"}"""))!;

        Assert.False(record.ExpiredAt(Now.AddTicks(-1)));
        Assert.True(record.ExpiredAt(Now));
        Assert.False((record with { ExpiresAt = null }).ExpiredAt(Now));
    }

    [Fact]
    public void MembersLeftOut_AreEmpty()
    {
        var record = TokenRecord.FromBytes("""{"id":"00000000000000ff","hash":"ff","tenant":"alpha","role":"admin","createdAt":"2026-12-01T00:00:00+00:00"}"""u8.ToArray())!;

        Assert.Equal(("", "", Role.Admin, null), (record.Product, record.Description, record.Role, record.ExpiresAt));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":1}""")]
    public void AValueThatIsNotARecord_IsNone(string value) => Assert.Null(TokenRecord.FromBytes(Encoding.UTF8.GetBytes(value)));
}