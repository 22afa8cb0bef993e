namespace MetaService.Core.Catalog;

/// <summary>
/// The functions of one tenant, indexed for the list route: by product and name, and by the trigrams of
/// each name, so that a name filter of three or more characters looks only at names that share its rarest
/// trigram. The trigrams are built on the first filtered list, not at start-up (1.4M postings for 100k
/// names). Not thread-safe: the catalog locks it.
/// </summary>
internal sealed partial class TenantIndex(string prefix)
{
    private readonly Dictionary<(string Product, string Name), Function> _functions = [];
    private readonly Dictionary<long, List<Function>> _trigrams = [];

    // Trigrams found in more than a quarter of the names when the index was built: they narrow nothing (the rarest
    // trigram of a filter is the one used), and a prefix all names share would cost 8 bytes a name per trigram.
    private readonly HashSet<long> _common = [];
    private int _dead;
    private bool _indexed;
    private long[] _scratch = new long[64];

    /// <summary>Below this many names no trigram counts as common.</summary>
    private const int CommonFrom = 4096;

    /// <summary>The tenant's key prefix, <c>/repo/FunctionVersion/yrk/{tenant}/</c>: one string for all its entries.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>How many functions (product and name) the tenant has.</summary>
    public long Functions => _functions.Count;

    /// <summary>How many published versions (not drafts) the tenant has.</summary>
    public long Published { get; private set; }

    /// <summary>Applies a put (<paramref name="put"/>) or a delete of the entry's key, unless the index already holds
    /// that key at the entry's mod revision or a later one.</summary>
    public void Apply(FunctionEntry entry, bool put)
    {
        var key = (entry.Product, entry.Name);
        var function = _functions.GetValueOrDefault(key);
        var existing = function is null ? null : Array.Find(function.Versions, entry.SameKeyAs);
        if (existing is not null && existing.ModRevision >= entry.ModRevision)
        {
            return;
        }

        if (put)
        {
            Put(key, function, entry);
        }
        else if (existing is not null)
        {
            Remove(key, function!, existing);
        }
    }

    public void Put(FunctionEntry entry)
    {
        var key = (entry.Product, entry.Name);
        Put(key, _functions.GetValueOrDefault(key), entry);
    }

    public void Remove(FunctionEntry entry)
    {
        var key = (entry.Product, entry.Name);
        if (_functions.GetValueOrDefault(key) is { } function)
        {
            Remove(key, function, entry);
        }
    }

    private void Put((string Product, string Name) key, Function? function, FunctionEntry entry)
    {
        if (function is null)
        {
            // The key's name is the function's: one string per function, whatever its number of versions.
            function = new Function(key.Name);
            _functions.Add(key, (Function)function);
            if (_indexed)
            {
                Index((Function)function);
            }
        }

        var at = Array.FindIndex(function.Versions, entry.SameKeyAs);
        if (at >= 0)
        {
            function.Versions[at] = entry;
        }
        else
        {
            function.Versions = [.. function.Versions, entry];
            Published += entry.IsDraft ? 0 : 1;
            Entries++;
        }
    }

    private void Remove((string Product, string Name) key, Function function, FunctionEntry entry)
    {
        var left = Array.FindAll(function.Versions, v => !v.SameKeyAs(entry));
        if (left.Length < function.Versions.Length)
        {
            Entries--;
            Published -= entry.IsDraft ? 0 : 1;
        }

        function.Versions = left;
        if (left.Length == 0)
        {
            function.Dead = true;
            _functions.Remove(key);
            if (++_dead > _functions.Count + 1024)
            {
                Rebuild();
            }
        }
    }

    /// <summary>The entry stored at <paramref name="key"/>, whose product and name are given; null when none.</summary>
    public FunctionEntry? Find(string product, string name, string key) =>
        _functions.TryGetValue((product, name), out var function) ? Array.Find(function.Versions, v => v.KeyIs(key)) : null;

    /// <summary>How many versions (drafts and published) the tenant has.</summary>
    public long Entries { get; private set; }

    public List<FunctionEntry> Versions(string product, string name) =>
        _functions.TryGetValue((product, name), out var function) ? [.. function.Versions] : [];

    /// <summary>Every version whose name contains <paramref name="name"/> (all when empty) and whose version is
    /// <paramref name="version"/> (any when empty).</summary>
    public List<FunctionEntry> Match(string? name, string? version)
    {
        var matches = new List<FunctionEntry>();
        foreach (var function in Candidates(name))
        {
            if (function.Dead || (!string.IsNullOrEmpty(name) && !function.Name.Contains(name, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var entry in function.Versions)
            {
                if (string.IsNullOrEmpty(version) || entry.VersionIs(version))
                {
                    matches.Add(entry);
                }
            }
        }

        return matches;
    }

    /// <summary>The first <paramref name="take"/> matches (as <see cref="Match"/>) whose key comes after
    /// <paramref name="after"/> (a key's part after the tenant prefix; null: from the start), in key order. Holds at most
    /// <paramref name="take"/> entries whatever the tenant's size.</summary>
    public List<FunctionEntry> MatchAfter(string? name, string? version, string? after, int take)
    {
        var largestFirst = new PriorityQueue<FunctionEntry, string>(take + 1, Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)));
        foreach (var function in Candidates(name))
        {
            if (function.Dead || (!string.IsNullOrEmpty(name) && !function.Name.Contains(name, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var entry in function.Versions)
            {
                if ((!string.IsNullOrEmpty(version) && !entry.VersionIs(version)) || (after is not null && string.CompareOrdinal(entry.Rest, after) <= 0))
                {
                    continue;
                }

                if (largestFirst.Count < take)
                {
                    largestFirst.Enqueue(entry, entry.Rest);
                }
                else if (take > 0 && string.CompareOrdinal(entry.Rest, largestFirst.Peek().Rest) < 0)
                {
                    largestFirst.DequeueEnqueue(entry, entry.Rest);
                }
            }
        }

        var page = new List<FunctionEntry>(largestFirst.Count);
        while (largestFirst.TryDequeue(out var entry, out _))
        {
            page.Add(entry);
        }

        page.Reverse();
        return page;
    }

    private sealed class Function(string name)
    {
        public string Name { get; } = name;

        /// <summary>Most functions have one version (the draft): an array of exactly their number costs least.</summary>
        public FunctionEntry[] Versions { get; set; } = [];

        public bool Dead { get; set; }
    }
}