using System.Text;

namespace MetaService.Server.Watch;

/// <summary>
/// One change as its watchers receive it, rendered once for all of them, when a watcher first asks for it (a server
/// nobody watches renders nothing): the event's lines without its <c>id:</c> (<c>event: put</c> and <c>data: {…}</c>),
/// which the watcher completes with the revision when the change is the last of its transaction it sends.
/// <see cref="Scope"/> (<see cref="WatchKind.ScopeOf"/>: the tenant and product, the tenant alone for reserve-instance
/// labels, empty for pools) and <see cref="Name"/> are what a watcher filters on, taken from the key. A function's
/// change for a viewer (secrets masked) is rendered once too, when first asked. A change whose stored value cannot be
/// read renders as nothing, and is left out of every stream. The ring counts it by what its rendering is expected to
/// weigh (<c>dataBytes</c>: the stored value's length), before anything is rendered.
/// </summary>
internal sealed class WatchChange(long revision, string key, string scope, string name, bool deleted, int dataBytes, Func<byte[]> data, Func<byte[]>? maskedData = null)
{
    /// <summary>What a change costs the ring beyond its data (the object, its strings' headers, the event's lines).</summary>
    private const int Overhead = 160;

    /// <summary>The frame of a change whose value cannot be read.</summary>
    private static readonly byte[] Unreadable = [];

    private byte[]? _frame;
    private byte[]? _maskedFrame;

    public long Revision { get; } = revision;

    /// <summary>The store key that changed (named in the log when its value cannot be read).</summary>
    public string Key { get; } = key;

    public string Scope { get; } = scope;

    public string Name { get; } = name;

    /// <summary>The bytes the ring counts for this change (a masked rendering counted in advance).</summary>
    public long Size { get; } = ((long)dataBytes * (maskedData is null ? 1 : 2)) + ((scope.Length + name.Length) * 2L) + Overhead;

    /// <summary>The frame (<c>event: put|delete\ndata: {…}\n</c>) for a watcher that sees secrets, or for one that sees
    /// them masked; null when the change's value cannot be read, which <paramref name="unreadable"/> is told once.</summary>
    public byte[]? FrameFor(bool masked, Action<WatchChange, Exception> unreadable)
    {
        var frame = masked && maskedData is not null ? Frame(ref _maskedFrame, maskedData, unreadable) : Frame(ref _frame, data, unreadable);
        return frame.Length == 0 ? null : frame;
    }

    private byte[] Frame(ref byte[]? slot, Func<byte[]> render, Action<WatchChange, Exception> unreadable)
    {
        if (Volatile.Read(ref slot) is { } rendered)
        {
            return rendered;
        }

        byte[] frame;
        try
        {
            frame = Render(deleted, render());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or Core.Records.UnreadableRecordException or FormatException)
        {
            frame = Unreadable;
            if (Interlocked.CompareExchange(ref slot, frame, null) is null)
            {
                unreadable(this, e);
            }

            return Volatile.Read(ref slot)!;
        }

        // Two watchers may render it at once; either result is the same bytes.
        return Interlocked.CompareExchange(ref slot, frame, null) ?? frame;
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