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
    private int _dead;

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
        var at = function is null ? -1 : IndexOf(function.Versions, entry);
        if (at >= 0 && function!.Versions[at].ModRevision >= entry.ModRevision)
        {
            return;
        }

        if (put)
        {
            Put(key, function, entry, at);
        }
        else if (at >= 0)
        {
            Remove(key, function!, function!.Versions[at]);
        }
    }

    public void Put(FunctionEntry entry)
    {
        var key = (entry.Product, entry.Name);
        var function = _functions.GetValueOrDefault(key);
        Put(key, function, entry, function is null ? -1 : IndexOf(function.Versions, entry));
    }

    public void Remove(FunctionEntry entry)
    {
        var key = (entry.Product, entry.Name);
        if (_functions.GetValueOrDefault(key) is { } function)
        {
            Remove(key, function, entry);
        }
    }

    /// <summary>Where the versions hold the entry's key; -1 when they don't (a loop: no delegate per call).</summary>
    private static int IndexOf(FunctionEntry[] versions, FunctionEntry entry)
    {
        for (var i = 0; i < versions.Length; i++)
        {
            if (versions[i].SameKeyAs(entry))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Puts the entry, whose key the function's versions hold at <paramref name="at"/> (-1: not yet).</summary>
    private void Put((string Product, string Name) key, Function? function, FunctionEntry entry, int at)
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

    /// <summary>The keys of the entries changed after <paramref name="revision"/>.</summary>
    public IEnumerable<string> KeysChangedAfter(long revision) =>
        _functions.Values.SelectMany(function => function.Versions).Where(entry => entry.ModRevision > revision).Select(entry => entry.Key);

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

    private sealed class Function(string name)
    {
        public string Name { get; } = name;

        /// <summary>Most functions have one version (the draft): an array of exactly their number costs least.</summary>
        public FunctionEntry[] Versions { get; set; } = [];

        public bool Dead { get; set; }
    }
}