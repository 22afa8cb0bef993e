using MetaService.Load;

using Microsoft.Data.Sqlite;

namespace MetaService.Reliability.Tests;

/// <summary>A fresh data directory, deleted afterwards, and the store revision read straight from its file.</summary>
public sealed class DataDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "metaservice-reliability-" + Guid.NewGuid().ToString("N"));

    public Task<ServerProcess> StartAsync() => ServerProcess.StartMetaAsync(Path);

    /// <summary>The embedded store's global revision, read-only, beside a running server.</summary>
    public long StoreRevision()
    {
        using var connection = new SqliteConnection($"Data Source={System.IO.Path.Combine(Path, "meta.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = 'revision'";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}