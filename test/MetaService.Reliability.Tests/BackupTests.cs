using System.Net;
using System.Text;

using MetaService.Core.Records;
using MetaService.Load;
using MetaService.Sqlite;
using MetaService.Sqlite.Backup;

namespace MetaService.Reliability.Tests;

/// <summary>Online backup of a server process's store while 8 clients update functions through HTTP: the backup, taken
/// from this process, restores to a store the server opens, in which each update's record and platform key are
/// whole (written by one transaction, so one mod revision).</summary>
public sealed class BackupTests
{
    private const int Clients = 8;
    private const int AcksBeforeBackup = 150;
    private const int AcksAfterBackup = 100;
    private static readonly string[] DraftKeyRoots = ["/repo/FunctionVersion/", "/sn/functions/", "/yr/functions/"];

    [Fact]
    public async Task Backup_OfAServerUnderUpdates_RestoresAStoreTheServerServes_WithEveryUpdateWhole()
    {
        using var served = new DataDirectory();
        using var restored = new DataDirectory();
        var backupFile = served.Path + "-backup.db";
        var names = Enumerable.Range(0, Clients).Select(c => $"0-rel-backup{c}").ToArray();
        SqliteStoreInfo backup;
        MaintenanceRefusedException refusal;
        long finalRevision;
        try
        {
            using (var server = await served.StartAsync())
            {
                using var client = server.Client();
                var revisionIds = new Dictionary<string, string>();
                foreach (var name in names)
                {
                    revisionIds[name] = await Api.CreateAsync(client, name);
                }

                var load = new UpdateLoad(client, revisionIds);
                var running = load.RunAsync();
                await load.ReachedAsync(AcksBeforeBackup);

                backup = await Task.Run(() => SqliteBackup.Backup(served.Path, backupFile, overwrite: false), TestContext.Current.CancellationToken);
                refusal = Assert.Throws<MaintenanceRefusedException>(() => SqliteBackup.Restore(backupFile, served.Path, force: true));
                await load.ReachedAsync(load.Acknowledged + AcksAfterBackup);
                await load.StopAsync(running);
                finalRevision = served.StoreRevision();
            }

            SqliteBackup.Restore(backupFile, restored.Path, force: false);
        }
        finally
        {
            File.Delete(backupFile);
        }

        Assert.Contains("running server", refusal.Message, StringComparison.Ordinal);
        Assert.InRange(backup.Revision, Clients + AcksBeforeBackup, finalRevision - AcksAfterBackup);
        await using (var store = SqliteMetaStore.Open(new SqliteStoreOptions { DataDirectory = restored.Path }))
        {
            Assert.Equal("ok", await store.CheckIntegrityAsync(TestContext.Current.CancellationToken));
            Assert.Equal(backup.Revision, await store.GetRevisionAsync(TestContext.Current.CancellationToken));
            var keys = (await store.RangeKeysAsync("/", cancellationToken: TestContext.Current.CancellationToken)).Items;
            Assert.Equal(backup.Revision, keys.Max(kv => kv.ModRevision));
            foreach (var name in names)
            {
                // The draft's record and its platform key: every update wrote both (other keys of the function, such as a
                // status record, are written at create only).
                var written = keys.Where(kv => DraftKeyRoots.Any(root => kv.Key.StartsWith(root, StringComparison.Ordinal)) && kv.Key.Contains($"/{name}/", StringComparison.Ordinal)).ToList();
                Assert.True(written.Count == 2, $"{name}: {string.Join(", ", written.Select(kv => kv.Key))}");
                Assert.Single(written.Select(kv => kv.ModRevision).Distinct());
            }
        }

        using var restarted = await restored.StartAsync();
        using var reader = restarted.Client();
        foreach (var name in names)
        {
            Assert.True(Timestamps.TryParseRevisionId(Generator.RevisionId(await Api.GetBytesAsync(reader, $"{Api.Functions}/{name}")), out _));
        }
    }

    /// <summary>One client per function, each updating its function with the revisionId of its last answer.</summary>
    private sealed class UpdateLoad(HttpClient client, Dictionary<string, string> revisionIds)
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _acknowledged;

        public int Acknowledged => Volatile.Read(ref _acknowledged);

        public Task RunAsync() => Task.WhenAll(revisionIds.Select(f => Task.Run(() => UpdateAsync(f.Key, f.Value))));

        /// <summary>Completes once <paramref name="count"/> updates were acknowledged (bounded: fails after two minutes).</summary>
        public Task ReachedAsync(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_acknowledged >= count)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((count, reached));
            }

            return reached.Task.WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }

        public async Task StopAsync(Task running)
        {
            await _stop.CancelAsync();
            await running;
            _stop.Dispose();
        }

        private async Task UpdateAsync(string name, string revisionId)
        {
            for (var i = 0; i < 100_000 && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await client.PutAsync(new Uri($"{Api.Functions}/{name}", UriKind.Relative), new StringContent(Samples.UpdateBody(revisionId, i), Encoding.UTF8, "application/json"), _stop.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(_stop.Token);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    revisionId = Generator.RevisionId(body);
                    Acknowledge();
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        private void Acknowledge()
        {
            lock (_lock)
            {
                _acknowledged++;
                _waiters.RemoveAll(w => w.Count <= _acknowledged && w.Reached.TrySetResult());
            }
        }
    }
}