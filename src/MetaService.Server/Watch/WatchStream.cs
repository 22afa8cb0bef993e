using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Wire;

namespace MetaService.Server.Watch;

/// <summary>
/// One watcher's Server-Sent Events. From a position inside the hub's ring it reads the ring (changes rendered once
/// for all watchers); from an older one it first replays from the store, then joins the ring. The changes of one
/// transaction share its revision, and the <c>id:</c> goes with the last of them, so a client that resumes from the
/// last id it saw never splits a transaction. A watcher that falls behind the ring (it reads more slowly than changes
/// come) is ended with <c>event: error</c> (<c>{code: 410, message}</c>); a change larger than the ring, dropped as it is
/// published, reaches the watchers waiting for it from the store. One that does not read at all for
/// <see cref="WatchOptions.WriteTimeoutSeconds"/> is disconnected. Memory per watcher: its position and what the
/// connection buffers.
/// </summary>
internal sealed partial class WatchStream(WatchHub hub, WatchRing ring, WatchFilter filter, long from, TimeSpan? duration, WatchOptions options, ILogger logger) : IResult
{
    /// <summary>How many changes a watcher takes from the ring per write (more when one revision has more).</summary>
    private const int Batch = 256;

    private static readonly byte[] Blank = "\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>How often, at most, a watch asks whether its caller's credential still holds.</summary>
    private static readonly TimeSpan CredentialCheck = TimeSpan.FromSeconds(1);

    private long _ticks;
    private HttpContext _context = null!;
    private long _checked = Environment.TickCount64;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var stopping = httpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        if (duration is { } bounded)
        {
            stop.CancelAfter(bounded);
        }
        using var writeLimit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var response = httpContext.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.BodyWriter;
        var sender = new Sender(body, writeLimit, options.WriteTimeout, hub.ReportUnreadable);
        _context = httpContext;
        try
        {
            body.Write(Encoding.ASCII.GetBytes($": watching {hub.Kind.Name} after revision {from - 1}\nretry: 1000\n\n"));
            await sender.FlushAsync();
            await FollowAsync(sender, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client went away, the server stops, or the stream's timeoutSeconds passed.
        }
        catch (OperationCanceledException) when (writeLimit.IsCancellationRequested)
        {
            LogSlow(logger, options.WriteTimeoutSeconds);
            httpContext.Abort();
        }
    }

    private async Task FollowAsync(Sender sender, CancellationToken stop)
    {
        var position = from;
        _ticks = ring.Ticks;
        // Whether the watch is reading changes the ring gave it: a position the ring then drops means the watch read
        // more slowly than changes came. A watch waiting for the next revision, or not yet reading the ring, that finds
        // its position dropped (a change larger than the ring is dropped as it is published; the ring may drop the
        // change a replay stopped at before the watch reads it) reads on from the store.
        var reading = false;
        while (true)
        {
            if (!reading && position < ring.First)
            {
                if (await ReplayAsync(sender, position, stop) is not { } next)
                {
                    return;
                }

                position = next;
            }

            var read = ring.Read(position, filter, Batch);
            if (!read.Held)
            {
                if (!reading)
                {
                    continue;
                }

                await sender.ErrorAsync($"this watch fell behind: changes after revision {position - 1} are no longer held for it (it read more slowly than they came, or the server's watch restarted); resume with Last-Event-ID, or list again and watch from the list's X-Meta-Revision");
                return;
            }

            if ((read.Changes.Count > 0 || ring.Ticks != _ticks) && !await CallerHoldsAsync(stop))
            {
                await sender.ErrorAsync(StatusCodes.Status401Unauthorized, "the credential this watch was opened with has been revoked or has expired; watch again with a valid one");
                return;
            }

            if (read.Changes.Count > 0)
            {
                await sender.SendAsync(read.Changes, filter.Masked, final: true);
                _ticks = ring.Ticks;
            }
            else if (ring.Ticks != _ticks)
            {
                _ticks = ring.Ticks;
                await sender.CommentAsync();
            }

            reading = read.Changes.Count > 0;
            if (reading)
            {
                position = read.Next;
                continue;
            }

            position = read.Next;
            await read.Signal.WaitAsync(stop);
        }
    }

    /// <summary>The changes from <paramref name="position"/> on, from the store, until one of them is in the ring: the
    /// position to read the ring from then, or null when the stream has ended.</summary>
    private async Task<long?> ReplayAsync(Sender sender, long position, CancellationToken stop)
    {
        // Its own token: an enumerator is disposed only once its pending MoveNextAsync has ended.
        using var replay = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var changes = hub.Store.WatchAsync(hub.Kind.ReplayPrefix(filter), position, replay.Token).GetAsyncEnumerator(replay.Token);
        Task<bool>? next = null;
        try
        {
            return await ReplayAsync(sender, changes, task => next = task, stop);
        }
        catch (RevisionCompactedException e)
        {
            await sender.ErrorAsync($"the store no longer keeps the changes this watch asked for ({e.Message}); list again and watch from the list's X-Meta-Revision");
            return null;
        }
        finally
        {
            await replay.CancelAsync();
            if (next is not null)
            {
                await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await changes.DisposeAsync();
        }
    }

    private async Task<long?> ReplayAsync(Sender sender, IAsyncEnumerator<WatchEvent> changes, Action<Task<bool>> pendingIs, CancellationToken stop)
    {
        var pending = new List<WatchChange>();
        while (true)
        {
            var next = changes.MoveNextAsync().AsTask();
            pendingIs(next);
            if (!next.IsCompleted)
            {
                await sender.SendAsync(pending, filter.Masked, final: true);
                pending.Clear();
                while (!next.IsCompleted)
                {
                    await Task.WhenAny(next, ring.Signal).WaitAsync(stop);
                    if (!next.IsCompleted && ring.Ticks != _ticks)
                    {
                        _ticks = ring.Ticks;
                        await sender.CommentAsync();
                    }
                }
            }

            if (!await next)
            {
                await sender.SendAsync(pending, filter.Masked, final: true);
                return null;
            }

            var change = changes.Current;
            var revision = change.Kv.ModRevision;
            if (pending.Count > 0 && pending[^1].Revision != revision)
            {
                await sender.SendAsync(pending, filter.Masked, final: true);
                pending.Clear();
            }

            if (revision >= ring.First)
            {
                return revision;
            }

            if (hub.Render(change) is { } rendered && filter.Matches(rendered))
            {
                pending.Add(rendered);
            }
        }
    }

    /// <summary>Whether the caller's credential still holds (asked at most once per <see cref="CredentialCheck"/>, before
    /// changes or a heartbeat go out): a token revoked or expired while the watch is open ends it.</summary>
    private async ValueTask<bool> CallerHoldsAsync(CancellationToken stop)
    {
        var now = Environment.TickCount64;
        if (now - _checked < (long)CredentialCheck.TotalMilliseconds)
        {
            return true;
        }

        _checked = now;
        return await Caller.StillHoldsAsync(_context, stop);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "a watcher that read nothing for {Seconds} s was disconnected")]
    private static partial void LogSlow(ILogger logger, double seconds);

    /// <summary>Writes events and flushes them, each flush bounded by the write timeout.</summary>
    private sealed class Sender(PipeWriter body, CancellationTokenSource writeLimit, TimeSpan timeout, Action<WatchChange, Exception> unreadable)
    {
        public async Task SendAsync(IReadOnlyList<WatchChange> changes, bool masked, bool final)
        {
            if (changes.Count == 0)
            {
                return;
            }

            // A change that cannot be read is left out; its revision's id goes with the last event sent of it. An event is
            // open from its frame until its id line (or the blank line when more of its revision follow).
            var open = false;
            for (var i = 0; i < changes.Count; i++)
            {
                var lastOfRevision = i == changes.Count - 1 ? final : changes[i + 1].Revision != changes[i].Revision;
                if (changes[i].FrameFor(masked, unreadable) is { } frame)
                {
                    if (open)
                    {
                        body.Write(Blank);
                    }

                    body.Write(frame);
                    open = true;
                }

                if (open && lastOfRevision)
                {
                    body.Write(WatchChange.IdLine(changes[i].Revision));
                    open = false;
                }
            }

            if (open)
            {
                body.Write(Blank);
            }

            await FlushAsync();
        }

        public Task CommentAsync()
        {
            body.Write(KeepAlive);
            return FlushAsync();
        }

        public Task ErrorAsync(string message) => ErrorAsync(StatusCodes.Status410Gone, message);

        public Task ErrorAsync(int code, string message)
        {
            var data = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(code, message), WatchJson.Default.ErrorBody);
            body.Write("event: error\ndata: "u8);
            body.Write(data);
            body.Write("\n\n"u8);
            return FlushAsync();
        }

        public async Task FlushAsync()
        {
            writeLimit.CancelAfter(timeout);
            await body.FlushAsync(writeLimit.Token);

            if (!writeLimit.TryReset())
            {
                throw new OperationCanceledException(writeLimit.Token);
            }
        }
    }
}