using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>How the writer's statements are made: prepared once, on its connection, for the store's lifetime.</summary>
internal static class Statements
{
    public static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}