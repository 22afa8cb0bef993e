using Microsoft.Data.Sqlite;

namespace MetaService.Store.Tests;

/// <summary>Reads a store's file as it is on disk, beside the store, or changes it as another program would: on a connection
/// of its own, not pooled, so nothing of the test's statement outlives it.</summary>
internal static class StoreFileQuery
{
    /// <summary>The first column of the first row of <paramref name="sql"/> in the file at <paramref name="path"/>.</summary>
    public static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs <paramref name="sql"/> on the file at <paramref name="path"/> (created when missing), as another program would.</summary>
    public static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}