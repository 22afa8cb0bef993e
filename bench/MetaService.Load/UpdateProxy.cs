using System.Globalization;
using System.Text;

using MetaService.Core.Storage;
using MetaService.Etcd;
using MetaService.Sqlite;

using Microsoft.Extensions.Logging.Abstractions;

namespace MetaService.Load;

/// <summary>
/// P4″'s reference: the plainest ASP.NET Core app (same host defaults as the server) that does to etcd what an HTTP
/// update of MetaService does, with nothing else. A PUT of <c>/serverless/v1/functions/{name}</c> reads its body,
/// takes the body's revisionId as the record's mod revision, and puts the update's keys and bytes (read back from
/// etcd after a real update, renamed for <c>{name}</c>) in one Txn of dotnet-etcd's generated client that compares
/// it; it answers the real update's answer bytes with the new mod revision as revisionId, or 409 when the compare
/// fails. A GET answers the current one. One watcher follows the records and each cached prefix, as a server's catalog and view do. No
/// validation, no merge, no JSON, no group commit: the obvious server of this stack, to say how much of what it
/// reaches here the real one reaches. With <c>--group-commit</c> the Txn goes through the server's own etcd store
/// instead (<see cref="EtcdMetaStore.TxnAsync"/>, whose batching puts many updates in one etcd call), and the record's
/// missing key is compared as absent rather than not compared. With <c>--sqlite DIR</c> (P1″) the same app writes to an
/// embedded store in DIR instead (<see cref="SqliteMetaStore.TxnAsync"/>: the server's own writer, whose group commit
/// makes one fsync for the transactions waiting), and one watcher follows the records, as the server's catalog does.
/// </summary>
public static class UpdateProxy
{
    private const string Route = Api.Functions + "/{name}";

    public static async Task RunAsync(string[] args)
    {
        var shape = Shape.Read(Entry.Option(args, "--shape") ?? throw new ArgumentException("update-proxy needs --shape <file>"));
        if (Entry.Option(args, "--sqlite") is { } directory)
        {
            await using var embedded = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = directory });
            await ServeAsync(args, shape, embedded, [PlatformKeys.RecordRoot], StoreSwap(embedded), async key => (await embedded.GetAsync(key))?.ModRevision ?? 0);
            return;
        }

        var endpoint = Entry.Option(args, "--etcd") ?? throw new ArgumentException("update-proxy needs --etcd <url> or --sqlite <directory>");
        using var raw = new RawEtcd(endpoint);
        await using var store = new EtcdMetaStore(new EtcdStoreOptions { Endpoints = [endpoint] }, TimeProvider.System, NullLogger<EtcdMetaStore>.Instance);
        await ServeAsync(args, shape, store, WatchedPrefixes(), args.Contains("--group-commit") ? StoreSwap(store) : raw.SwapAsync, raw.ModRevisionAsync);
    }

    /// <summary>The suite's update load (<see cref="Generator.WarmedUpdatesAsync"/>) on this app started with
    /// <paramref name="shapeFile"/> and <paramref name="options"/> (its store), each function from revision 0: updates
    /// per second, and the CPU that <paramref name="others"/>, the app and this process spent per update
    /// (<see cref="Generator.MeasuredUpdatesAsync"/>: any failed update fails the suite).</summary>
    internal static async Task<(double PerSecond, string Cpu)> MeasureAsync(Settings settings, string shapeFile, IEnumerable<(string Name, string RevisionId)> functions, string[] options, params (string Name, int Pid)[] others)
    {
        using var proxy = await ServerProcess.StartAsync(typeof(ServerProcess).Assembly.Location, $"{Api.Functions}/ready", ["update-proxy", "--shape", shapeFile, .. options]);
        using var client = proxy.Client();
        var (load, cpu) = await Generator.MeasuredUpdatesAsync(client, [.. functions.Select(f => (f.Name, "0"))], settings, [.. others, ("proxy", proxy.Id), ("bench", Environment.ProcessId)]);
        return (load.PerSecond, cpu.PerOperation(load.Ok));
    }

    /// <summary>The prefixes a server on etcd watches: the function catalog's records and each prefix its view caches.</summary>
    internal static IEnumerable<string> WatchedPrefixes() => new WatchedViewOptions().CachedPrefixes.Prepend(PlatformKeys.RecordRoot);

    /// <summary>A compare-and-swap through <paramref name="store"/>'s own transactions: the new revision, or null.</summary>
    private static Func<string, long, (string Key, byte[] Value)[], Task<long?>> StoreSwap(IMetaStore store) =>
        async (compared, modRevision, puts) =>
            await store.TxnAsync([new Compare(compared, modRevision)], [.. puts.Select(p => new WriteOp.Put(p.Key, p.Value))]) is { Succeeded: true } done ? done.Revision : null;

    private static async Task ServeAsync(string[] args, Shape shape, IMetaStore store, IEnumerable<string> watched, Func<string, long, (string Key, byte[] Value)[], Task<long?>> swap, Func<string, Task<long>> modRevisionOf)
    {
        using var stop = new CancellationTokenSource();
        var watchers = Watchers(store, "", watched, await store.GetRevisionAsync() + 1, stop.Token);
        var builder = WebApplication.CreateBuilder([.. args.Where(a => a != "--group-commit")]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPut(Route, async (string name, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var modRevision = long.Parse(Generator.RevisionId(body.ToArray()), CultureInfo.InvariantCulture);
            var revision = await swap(shape.Compared(name), modRevision, shape.Puts(name));
            return revision is { } made
                ? Results.Bytes(shape.Answer(made), "application/json")
                : Results.Text("""{"code":4134,"message":"revisionId is stale"}""", "application/json", statusCode: 409);
        });
        app.MapGet(Route, async (string name) =>
            Results.Bytes(shape.Answer(await modRevisionOf(shape.Compared(name))), "application/json"));
        await app.RunAsync();
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
    }

    /// <summary>One watch per prefix of <paramref name="prefixes"/> below <paramref name="root"/>, each reading and
    /// dropping every change from <paramref name="from"/> on until <paramref name="stop"/>.</summary>
    internal static List<Task> Watchers(IMetaStore store, string root, IEnumerable<string> prefixes, long from, CancellationToken stop) =>
        [.. prefixes.Select(prefix => DrainAsync(store, root + prefix, from, stop))];

    private static async Task DrainAsync(IMetaStore store, string prefix, long from, CancellationToken stop)
    {
        try
        {
            await foreach (var change in store.WatchAsync(prefix, from, stop))
            {
                GC.KeepAlive(change);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// What one HTTP update wrote: the updated function's name, its keys and values, and the server's answer. Kept in
    /// a file of lines: the name, the answer in base64, then each key and its value in base64, tab-separated.
    /// </summary>
    internal sealed record Shape(string Name, byte[] AnswerBytes, IReadOnlyList<KeyValue> Written)
    {
        /// <summary>The function's record: the written key under the records' root.</summary>
        private readonly string _record = Written.FirstOrDefault(kv => kv.Key.StartsWith(PlatformKeys.RecordRoot, StringComparison.Ordinal))?.Key
            ?? Written[0].Key;

        /// <summary>The key whose mod revision an update of <paramref name="name"/> compares: its record.</summary>
        public string Compared(string name) => Renamed(_record, name);

        public (string Key, byte[] Value)[] Puts(string name) => [.. Written.Select(kv => (Renamed(kv.Key, name), kv.Value))];

        /// <summary>The server's answer with <paramref name="revision"/> in place of its first revisionId.</summary>
        public byte[] Answer(long revision)
        {
            var marker = "\"revisionId\":\""u8;
            var from = AnswerBytes.AsSpan().IndexOf(marker) + marker.Length;
            var to = from + AnswerBytes.AsSpan(from).IndexOf((byte)'"');
            return [.. AnswerBytes.AsSpan(0, from), .. Encoding.ASCII.GetBytes(revision.ToString(CultureInfo.InvariantCulture)), .. AnswerBytes.AsSpan(to)];
        }

        public string Renamed(string key, string name) => key.Replace(Name, name, StringComparison.Ordinal);

        public void Write(string file) => File.WriteAllLines(file,
            [Name, Convert.ToBase64String(AnswerBytes), .. Written.Select(kv => kv.Key + "\t" + Convert.ToBase64String(kv.Value))]);

        /// <summary>Sends one HTTP update of <paramref name="function"/>: its answer and the function's new revisionId.</summary>
        public static async Task<(byte[] Answer, string RevisionId)> UpdateOnceAsync(HttpClient client, (string Name, string RevisionId) function)
        {
            using var response = await client.PutAsync(new Uri($"{Api.Functions}/{function.Name}", UriKind.Relative), new StringContent(Samples.UpdateBody(function.RevisionId, 0), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadAsByteArrayAsync();
            return (answer, Generator.RevisionId(answer));
        }

        /// <summary>The shape of <paramref name="name"/>'s update that answered <paramref name="answer"/> and was the
        /// store's last write: every key of <paramref name="all"/> (a range of every key) whose mod revision is the
        /// range's revision.</summary>
        public static Shape Of(string name, byte[] answer, RangeResult all)
        {
            var written = all.Items.Where(kv => kv.ModRevision == all.Revision).ToList();
            return written.Count == 0 || !written.Exists(kv => kv.Key.Contains(name, StringComparison.Ordinal))
                ? throw new InvalidOperationException("the update's keys were not found in the store")
                : new Shape(name, answer, written);
        }

        public static Shape Read(string file)
        {
            var lines = File.ReadAllLines(file);
            return new Shape(lines[0], Convert.FromBase64String(lines[1]), [.. lines.Skip(2).Select(line => line.Split('\t')).Select(p => new KeyValue(p[0], Convert.FromBase64String(p[1]), 0, 0, 0))]);
        }
    }
}