using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Catalog;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Sqlite;
using MetaService.Tests.Fixtures;

namespace MetaService.Server.Tests;

/// <summary>An embedded store in a temporary folder with a function catalog over it, and the draft records to put in it:
/// in openYuanrong's format, or in an earlier MetaService's own JSON (for the pass that rewrites those).</summary>
public sealed class EarlierRecordsStore : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("metaservice-earlier-").FullName;

    public EarlierRecordsStore()
    {
        Store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = _directory });
        Catalog = new FunctionCatalog(Store, TimeProvider.System);
    }

    public SqliteMetaStore Store { get; }

    public FunctionCatalog Catalog { get; }

    public static string Key(string name) => $"/repo/FunctionVersion/yrk/default//0-svc-{name}/$latest/";

    public static byte[] Original(string name)
    {
        var (_, value) = OriginalRecords.Load(OriginalRecords.FaasDraft);
        return RecordFormat.Encode(RecordFormat.Decode(Key(name), value));
    }

    public static byte[] Own(string name) =>
        JsonSerializer.SerializeToUtf8Bytes(RecordFormat.Decode(Key(name), Original(name)), MetaJson.Default.FunctionRecord);

    /// <summary>Puts <paramref name="value"/> at <paramref name="key"/>; the write's revision.</summary>
    public async Task<long> PutAsync(string key, byte[] value) =>
        (await Store.TxnAsync([], [new WriteOp.Put(key, value)], TestContext.Current.CancellationToken)).Revision;

    public async ValueTask DisposeAsync()
    {
        await Catalog.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}