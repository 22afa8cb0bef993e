using System.Diagnostics;

using MetaService.Core;
using MetaService.Core.Functions;
using MetaService.Sqlite;

namespace MetaService.Load;

/// <summary>
/// Fills a data directory with <c>count</c> functions of one tenant through <see cref="FunctionService.CreateAsync(MetaService.Core.Tenant, FunctionRequest, CancellationToken)"/>,
/// so the stored values are exactly what the API writes; many creates in flight share each group commit.
/// </summary>
public static class Seeder
{
    public static async Task<TimeSpan> SeedAsync(string dataDirectory, int count, int inFlight = 256)
    {
        var clock = Stopwatch.StartNew();
        await using var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = dataDirectory });
        var service = new FunctionService(store, new MetaOptions { FunctionMax = 0 }, TimeProvider.System);
        var next = -1;
        var workers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var created = await service.CreateAsync(Tenant.Default, Samples.CreateRequest(Samples.Name(i)), CancellationToken.None);
                if (created.Error is { } error && error.Code != 4101)
                {
                    throw new InvalidOperationException($"seeding {Samples.Name(i)} failed: {error.Code} {error.Message}");
                }
            }
        });
        await Task.WhenAll(workers);
        return clock.Elapsed;
    }

    /// <summary>A data directory with <paramref name="count"/> functions, seeded once and reused by later runs.</summary>
    public static async Task<string> EnsureAsync(string workDirectory, int count, TextWriter log)
    {
        var directory = Path.Combine(workDirectory, $"seed-{count}");
        var done = Path.Combine(directory, "seeded");
        if (!File.Exists(done))
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var took = await SeedAsync(directory, count);
            await File.WriteAllTextAsync(done, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            log.WriteLine($"seeded {count} functions in {took.TotalSeconds:0.0} s ({count / took.TotalSeconds:0} creates/s) into {directory}");
        }

        return directory;
    }

    /// <summary>A private copy of a seeded directory, for suites that write.</summary>
    public static string Copy(string seeded, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(seeded))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }
}