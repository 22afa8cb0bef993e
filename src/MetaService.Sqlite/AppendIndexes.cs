using Microsoft.Data.Sqlite;

namespace MetaService.Sqlite;

/// <summary>How far apart the append log's index generations turn over (<see cref="AppendIndexes"/>).</summary>
/// <param name="Every">The fewest rows indexed into the current generation before it becomes the older one (more when
/// the last turn moved more rows: a turn moves each live row once).</param>
/// <param name="MoveEvery">How many live rows of the older generation one step moves into the current one.</param>
internal sealed record AppendRotation(int Every, int MoveEvery)
{
    public static AppendRotation Default { get; } = new(16_384, AppendWrites.IndexEvery);
}

/// <summary>
/// The append log's three indexes (by key with the revision, by group, by the log rows a row names), each kept in two
/// generations (<c>appended_keys</c> and <c>appended_keys_1</c>, …) so that forgetting a row deletes the row alone: its
/// index rows stay behind, and every read of an index skips those whose row is gone (<see cref="Rows"/>). Index passes
/// write into the current generation. Once <see cref="AppendRotation.Every"/> rows were indexed since the last turn, the
/// generations turn over: the current one becomes the older one (every row indexed so far, up to the id <c>swapped</c>),
/// and the emptied one the current. Each index pass after that moves the next <see cref="AppendRotation.MoveEvery"/> live
/// rows up to <c>swapped</c> into the current generation (up to the id <c>moved</c>); when all are moved, the older
/// generation is emptied whole (a <c>DELETE</c> without <c>WHERE</c>, which drops its pages rather than its rows), and
/// with it the index rows of every row forgotten before. A row is thus counted in the current generation, or in the
/// older above <c>moved</c>: once, however the two overlap. Modelled before it was built (bench/append-upkeep-model.py):
/// a forget went from 3.4–3.5 to 0.6 µs a row, the turns cost 0.13–0.17; in the server, the writer's forget (with the
/// index pass before it) went from 5.2 to 1.5 µs an update (bench/README.md, session 44). Besides the live rows, the
/// index tables hold those forgotten since the turn before the last, and while a turn moves rows, those rows twice. The
/// state is in <c>meta</c> and changes in the writer's transaction, so a reopen goes on where the last commit left it.
/// </summary>
internal sealed class AppendIndexes : IDisposable
{
    private const string Generation = "(SELECT value FROM meta WHERE name = 'appended_generation')";
    private const string Moved = "(SELECT value FROM meta WHERE name = 'appended_moved')";

    private readonly AppendRotation _rotation;
    private readonly RawStatement _state;
    private readonly RawStatement _setState;
    private readonly RawStatement _moveTo;
    private readonly SqliteCommand[] _into;
    private readonly SqliteCommand[] _empty;
    private bool _stateRead;
    private int _current;
    private long _swapped;
    private long _moved;
    private long _movedRows;

    public AppendIndexes(SqliteConnection connection, AppendRotation rotation)
    {
        _rotation = rotation;
        _state = new RawStatement(
            connection,
            "SELECT " + string.Join(", ", StateNames.Select(name => $"(SELECT value FROM meta WHERE name = '{name}')")));
        _setState = new RawStatement(
            connection,
            $"UPDATE meta SET value = CASE name {string.Concat(StateNames.Select((name, i) => $"WHEN '{name}' THEN ?{i + 1} "))}END WHERE name IN ({string.Join(", ", StateNames.Select(name => $"'{name}'"))})");
        _moveTo = new RawStatement(connection, "SELECT id FROM appended WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT 1 OFFSET ?3");
        _into = [.. Generations.Select(g => Statements.Prepare(
            connection,
            $"""
            INSERT OR IGNORE INTO {Table("appended_keys", g)}(key, id, rev) SELECT key, id, rev FROM appended WHERE id > $lo AND id <= $hi;
            INSERT OR IGNORE INTO {Table("appended_groups", g)}(grp, id) SELECT grp, id FROM appended WHERE id > $lo AND id <= $hi;
            INSERT OR IGNORE INTO {Table("appended_refs", g)}(log_id, id)
                SELECT before_log, id FROM appended WHERE id > $lo AND id <= $hi AND before_log IS NOT NULL
                UNION ALL SELECT after_log, id FROM appended WHERE id > $lo AND id <= $hi AND after_log IS NOT NULL;
            """,
            "$lo",
            "$hi"))];
        _empty = [.. Generations.Select(g => Statements.Prepare(
            connection,
            string.Concat(IndexNames.Select(index => $"DELETE FROM {Table(index, g)};"))))];
    }

    /// <summary>The generations' numbers: 0's tables have the indexes' names, 1's add <c>_1</c>.</summary>
    public static IReadOnlyList<int> Generations { get; } = [0, 1];

    private static IReadOnlyList<string> IndexNames { get; } = ["appended_keys", "appended_groups", "appended_refs"];

    /// <summary>The <c>meta</c> rows of the indexes' state: the last id indexed, the current generation, the last id the
    /// older one holds, the last id moved out of it, and how many rows the last turn moved (at most).</summary>
    private static IReadOnlyList<string> StateNames { get; } = ["appended_indexed", "appended_generation", "appended_swapped", "appended_moved", "appended_moved_rows"];

    /// <summary>The last id indexed (read in the batch's transaction).</summary>
    public long Indexed { get; private set; }

    public static string Table(string index, int generation) => generation == 0 ? index : index + "_1";

    /// <summary>SQL: the rows of <paramref name="index"/> (alias <c>i</c>) whose appended row is still there, from both
    /// generations, each once: <c>SELECT <paramref name="columns"/> … WHERE <paramref name="where"/></c> in each, with
    /// <paramref name="each"/> (an <c>ORDER BY</c> and <c>LIMIT</c>, say) applied to each generation's rows.</summary>
    public static string Rows(string index, string columns, string where, string each = "") => string.Join(
        "\nUNION ALL\n",
        Generations.Select(g => $"SELECT * FROM (SELECT {columns} FROM {Table(index, g)} i WHERE {where} AND {Live("i", g)} {each})"));

    /// <summary>SQL: whether the row <paramref name="alias"/> of generation <paramref name="generation"/>'s index counts:
    /// its appended row is still there, and it is not a row the current generation holds too (the older one's rows up
    /// to the id moved).</summary>
    public static string Live(string alias, int generation) =>
        $"({alias}.id > {Moved} OR {Generation} = {generation}) AND EXISTS (SELECT 1 FROM appended a WHERE a.id = {alias}.id)";

    /// <summary>SQL: whether an appended row still there, other than those <paramref name="except"/> names (SQL of ids,
    /// or empty), names the log row <c>log.id</c> in the reference index of either generation.</summary>
    public static string Refer(string except = "") => string.Join(
        " OR ",
        Generations.Select(g => $"EXISTS (SELECT 1 FROM {Table("appended_refs", g)} r JOIN appended a ON a.id = r.id WHERE r.log_id = log.id{(except.Length > 0 ? $" AND r.id NOT IN ({except})" : "")})"));

    /// <summary>Binds the statements to the batch's transaction; the state is read again when the batch needs it.</summary>
    public void Begin(SqliteTransaction transaction)
    {
        foreach (var command in _into.Concat(_empty))
        {
            command.Transaction = transaction;
        }

        _stateRead = false;
    }

    /// <summary>Reads the state in the batch's transaction, once a batch.</summary>
    public void ReadState()
    {
        if (_stateRead)
        {
            return;
        }

        (Indexed, _current, _swapped, _moved, _movedRows) = _state.First(static row =>
            (row.Int64(0), (int)row.Int64(1), row.Int64(2), row.Int64(3), row.Int64(4)))!.Value;
        _stateRead = true;
    }

    /// <summary>Indexes the rows above <see cref="Indexed"/> up to <paramref name="last"/> into the current generation,
    /// then takes one step of the turn: moves rows, or turns the generations over when it is time.</summary>
    public void IndexUpTo(long last)
    {
        ReadState();
        Into(_current, Indexed, last);
        Indexed = last;
        if (_moved < _swapped)
        {
            Move();
        }
        else if (Indexed - _swapped >= Math.Max(_rotation.Every, _movedRows))
        {
            // The older generation is empty: the last turn's move ended by emptying it (or there was none yet).
            (_current, _swapped, _moved, _movedRows) = (1 - _current, Indexed, 0, 0);
        }

        _setState.Bind(1, Indexed).Bind(2, _current).Bind(3, _swapped).Bind(4, _moved).Bind(5, _movedRows).Execute();
    }

    public void Dispose()
    {
        foreach (var command in _into.Concat(_empty))
        {
            command.Dispose();
        }

        _state.Dispose();
        _setState.Dispose();
        _moveTo.Dispose();
    }

    /// <summary>Moves the next live rows of the older generation into the current one; the last move empties the older.</summary>
    private void Move()
    {
        var to = _moveTo.Bind(1, _moved).Bind(2, _swapped).Bind(3, _rotation.MoveEvery - 1).First(static row => row.Int64(0)) ?? _swapped;
        Into(_current, _moved, to);
        _moved = to;
        _movedRows += _rotation.MoveEvery;
        if (_moved == _swapped)
        {
            _empty[1 - _current].ExecuteNonQuery();
        }
    }

    private void Into(int generation, long above, long upTo)
    {
        var command = _into[generation];
        command.Parameters[0].Value = above;
        command.Parameters[1].Value = upTo;
        command.ExecuteNonQuery();
    }
}