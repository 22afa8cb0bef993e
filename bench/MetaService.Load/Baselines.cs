using System.Diagnostics;
using System.Text.Json;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Core.Records;
using MetaService.Core.Storage;
using MetaService.Sqlite;

using Microsoft.Data.Sqlite;

namespace MetaService.Load;

/// <summary>The limits a figure is compared with, measured by the harness on this machine in the same run.</summary>
public static class Baselines
{
    /// <summary>Single-row durable commits per second: SQLite, WAL, <c>synchronous=FULL</c>, one 1 KB upsert per
    /// transaction, one connection, on the disk of <paramref name="directory"/> (the disk's fsync ceiling).</summary>
    public static double SqliteFullCommitsPerSecond(string directory, TimeSpan duration)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"raw-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = """
                    PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
                    CREATE TABLE functions(name TEXT PRIMARY KEY, rev INTEGER, body BLOB) WITHOUT ROWID;
                    """;
                setup.ExecuteNonQuery();
            }

            using var upsert = connection.CreateCommand();
            upsert.CommandText = "INSERT INTO functions(name, rev, body) VALUES ($n, $r, $b) ON CONFLICT(name) DO UPDATE SET rev = excluded.rev, body = excluded.body";
            var name = upsert.Parameters.Add("$n", SqliteType.Text);
            var rev = upsert.Parameters.Add("$r", SqliteType.Integer);
            upsert.Parameters.AddWithValue("$b", new byte[1024]);
            var clock = Stopwatch.StartNew();
            var commits = 0L;
            while (clock.Elapsed < duration && commits < 10_000_000)
            {
                name.Value = "fn" + (commits % 10_000);
                rev.Value = commits;
                upsert.ExecuteNonQuery();
                commits++;
            }

            return commits / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(directory, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// What the original does for every list request: range the whole tenant prefix from the store, decode
    /// every record, filter by name, order by mod revision, page, and render the page. Latencies in ms.
    /// </summary>
    public static async Task<List<double>> ReferenceListAsync(string dataDirectory, string nameFilter, int pageSize, int requests, TimeSpan budget)
    {
        var options = new MetaOptions();
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = dataDirectory });
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < requests && (i < 3 || total.Elapsed < budget); i++)
        {
            var clock = Stopwatch.StartNew();
            var range = await store.RangeAsync(PlatformKeys.TenantRecords(Tenant.Default));
            var page = range.Items
                .Select(kv => (kv.ModRevision, Record: RecordFormat.Decode(kv.Key, kv.Value)))
                .Where(r => r.Record.Name.Contains(nameFilter, StringComparison.Ordinal))
                .OrderByDescending(r => r.ModRevision)
                .Take(pageSize)
                .Select(r => FunctionView.From(r.Record, options))
                .ToList();
            _ = JsonSerializer.SerializeToUtf8Bytes(page.ToArray(), ViewJson.Default.FunctionViewArray);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(FunctionView[]))]
internal sealed partial class ViewJson : System.Text.Json.Serialization.JsonSerializerContext;