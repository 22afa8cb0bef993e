using System.Text;

using MetaService.Core.Storage;

using Xunit;

namespace MetaService.Core.Tests.Storage;

/// <summary>Keys sort as etcd sorts them, by their UTF-8 bytes, and the end of a prefix's range is the first key past
/// every key that starts with it.</summary>
public sealed class KeyOrderTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "a", "b" },
        { "a", "ab" },
        { "", "a" },
        { "/p/1/", "/p/10" },
        { "Z", "a" },
        { "\u007f", "\u0080" },
        { "\u07ff", "\u0800" },
        // Surrogate pairs (code points above U+FFFF, four UTF-8 bytes) sort after U+E000–U+FFFF (three bytes), though
        // their UTF-16 code units are smaller.
        { "\ud7ff", "\ue000" },
        { "\ue000", "\uffff" },
        { "\uffff", "\ud800\udc00" },
        { "\ufb01", "\U0001F600" },
        { "x\uffffz", "x\U0001F600" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Keys_CompareAsTheirUtf8Bytes(string lower, string higher)
    {
        Assert.True(Utf8Compare(lower, higher) < 0, "the pair is not in UTF-8 byte order");
        Assert.True(KeyOrder.Instance.Compare(lower, higher) < 0);
        Assert.True(KeyOrder.Instance.Compare(higher, lower) > 0);
        Assert.Equal(0, KeyOrder.Instance.Compare(lower, lower));
        Assert.Equal(0, KeyOrder.Instance.Compare(higher, new string(higher.ToCharArray())));
    }

    [Fact]
    public void Null_SortsFirst()
    {
        Assert.Equal(0, KeyOrder.Instance.Compare(null, null));
        Assert.True(KeyOrder.Instance.Compare(null, "") < 0);
        Assert.True(KeyOrder.Instance.Compare("", null) > 0);
    }

    [Fact]
    public void ASortedList_IsInUtf8Order()
    {
        string[] keys = ["\U0001F600", "b", "\uffff", "a/", "\u00e9", "a", "\ue000", "A", "a0"];

        var sorted = keys.Order(KeyOrder.Instance).ToArray();

        Assert.Equal(keys.Order(Comparer<string>.Create(Utf8Compare)).ToArray(), sorted);
        Assert.Equal("A", sorted[0]);
        Assert.Equal("\U0001F600", sorted[^1]);
    }

    [Theory]
    [InlineData(new byte[] { 0x2f, 0x70, 0x2f }, new byte[] { 0x2f, 0x70, 0x30 })]
    [InlineData(new byte[] { 0x61, 0xff }, new byte[] { 0x62 })]
    [InlineData(new byte[] { 0x61, 0xfe, 0xff, 0xff }, new byte[] { 0x61, 0xff })]
    [InlineData(new byte[] { 0x00 }, new byte[] { 0x01 })]
    public void PrefixEnd_IsTheFirstKeyPastThePrefix(byte[] prefix, byte[] end)
    {
        var before = (byte[])prefix.Clone();

        Assert.Equal(end, KeyOrder.PrefixEnd(prefix));
        Assert.Equal(before, prefix);
    }

    [Fact]
    public void PrefixEnd_OfOnly0xFF_IsNone()
    {
        Assert.Null(KeyOrder.PrefixEnd([0xff, 0xff]));
        Assert.Null(KeyOrder.PrefixEnd([]));
    }

    private static int Utf8Compare(string? x, string? y) =>
        Encoding.UTF8.GetBytes(x!).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y!));
}