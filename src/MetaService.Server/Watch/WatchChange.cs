using System.Text;

namespace MetaService.Server.Watch;

/// <summary>
/// One change as its watchers receive it, rendered once for all of them: the event's lines without its <c>id:</c>
/// (<c>event: put</c> and <c>data: {…}</c>), which the watcher completes with the revision when the change is the last
/// of its transaction it sends. <see cref="Scope"/> (<see cref="WatchKind.ScopeOf"/>: the tenant and product, the tenant
/// alone for reserve-instance labels, empty for pools) and <see cref="Name"/> are what a watcher filters on. A function's
/// change for a viewer (secrets masked) is rendered once too, when first asked.
/// </summary>
internal sealed class WatchChange
{
    /// <summary>What a change costs the ring beyond its bytes (the object and its strings' headers).</summary>
    private const int Overhead = 128;

    private readonly Func<byte[]>? _masked;
    private byte[]? _maskedFrame;

    public WatchChange(long revision, string scope, string name, bool deleted, byte[] data, Func<byte[]>? maskedData = null)
    {
        Revision = revision;
        Scope = scope;
        Name = name;
        Frame = Render(deleted, data);
        _masked = maskedData is null ? null : () => Render(deleted, maskedData());
    }

    public long Revision { get; }

    public string Scope { get; }

    public string Name { get; }

    /// <summary><c>event: put|delete\ndata: {…}\n</c>.</summary>
    public byte[] Frame { get; }

    /// <summary>The bytes the ring counts for this change (a masked rendering counted in advance).</summary>
    public long Size => (Frame.Length * (_masked is null ? 1L : 2L)) + ((Scope.Length + Name.Length) * 2L) + Overhead;

    /// <summary>The frame for a watcher that sees secrets, or for one that sees them masked.</summary>
    public byte[] FrameFor(bool masked)
    {
        if (!masked || _masked is null)
        {
            return Frame;
        }

        // Two watchers may render it at once; either result is the same bytes.
        return Volatile.Read(ref _maskedFrame) ?? Interlocked.CompareExchange(ref _maskedFrame, _masked(), null) ?? _maskedFrame!;
    }

    private static byte[] Render(bool deleted, byte[] data)
    {
        var head = deleted ? "event: delete\ndata: "u8 : "event: put\ndata: "u8;
        var frame = new byte[head.Length + data.Length + 1];
        head.CopyTo(frame);
        data.CopyTo(frame, head.Length);
        frame[^1] = (byte)'\n';
        return frame;
    }

    /// <summary>The <c>id:</c> line and the blank line that end an event.</summary>
    public static byte[] IdLine(long revision) => Encoding.ASCII.GetBytes($"id: {revision}\n\n");
}

/// <summary>Which changes one watcher receives: its tenant's (or, for pools, all), of one name when given.</summary>
internal sealed record WatchFilter(string Scope, string? Name, bool Masked)
{
    public bool Matches(WatchChange change) =>
        string.Equals(change.Scope, Scope, StringComparison.Ordinal) && (Name is null || string.Equals(change.Name, Name, StringComparison.Ordinal));
}