namespace MetaService.Core.Catalog;

/// <summary>
/// The functions of one tenant, indexed for the list route: by product and name, and by the trigrams of
/// each name, so that a name filter of three or more characters looks only at names that share its rarest
/// trigram. The trigrams are built on the first filtered list, not at start-up (1.4M postings for 100k
/// names). Not thread-safe: the catalog locks it.
/// </summary>
internal sealed class TenantIndex
{
    private readonly Dictionary<(string Product, string Name), Function> _functions = [];
    private readonly Dictionary<long, List<Function>> _trigrams = [];
    private int _dead;
    private bool _indexed;

    /// <summary>How many functions (product and name) the tenant has.</summary>
    public long Functions => _functions.Count;

    /// <summary>How many published versions (not drafts) the tenant has.</summary>
    public long Published { get; private set; }

    public void Put(FunctionEntry entry)
    {
        if (!_functions.TryGetValue((entry.Product, entry.Name), out var function))
        {
            function = new Function(entry.Name);
            _functions.Add((entry.Product, entry.Name), function);
            if (_indexed)
            {
                Index(function);
            }
        }

        var at = function.Versions.FindIndex(v => v.Key == entry.Key);
        if (at >= 0)
        {
            function.Versions[at] = entry;
        }
        else
        {
            function.Versions.Add(entry);
            Published += FunctionKinds.IsDraftVersion(entry.Version) ? 0 : 1;
        }
    }

    public void Remove(FunctionEntry entry)
    {
        if (!_functions.TryGetValue((entry.Product, entry.Name), out var function))
        {
            return;
        }

        if (function.Versions.RemoveAll(v => v.Key == entry.Key) > 0 && !FunctionKinds.IsDraftVersion(entry.Version))
        {
            Published--;
        }

        if (function.Versions.Count == 0)
        {
            function.Dead = true;
            _functions.Remove((entry.Product, entry.Name));
            if (++_dead > _functions.Count + 1024)
            {
                Rebuild();
            }
        }
    }

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
                if (string.IsNullOrEmpty(version) || entry.Version == version)
                {
                    matches.Add(entry);
                }
            }
        }

        return matches;
    }

    private IEnumerable<Function> Candidates(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 3)
        {
            return _functions.Values;
        }

        if (!_indexed)
        {
            foreach (var function in _functions.Values)
            {
                Index(function);
            }

            _indexed = true;
        }

        List<Function>? rarest = null;
        foreach (var trigram in Trigrams(name))
        {
            if (!_trigrams.TryGetValue(trigram, out var posting))
            {
                return [];
            }

            if (rarest is null || posting.Count < rarest.Count)
            {
                rarest = posting;
            }
        }

        return rarest ?? [];
    }

    private void Index(Function function)
    {
        foreach (var trigram in Trigrams(function.Name).Distinct())
        {
            if (!_trigrams.TryGetValue(trigram, out var posting))
            {
                _trigrams[trigram] = posting = [];
            }

            posting.Add(function);
        }
    }

    /// <summary>Drops the postings of deleted names once they outnumber the live ones.</summary>
    private void Rebuild()
    {
        foreach (var posting in _trigrams.Values)
        {
            posting.RemoveAll(f => f.Dead);
        }

        foreach (var empty in _trigrams.Where(t => t.Value.Count == 0).Select(t => t.Key).ToList())
        {
            _trigrams.Remove(empty);
        }

        _dead = 0;
    }

    private static IEnumerable<long> Trigrams(string name)
    {
        for (var i = 0; i + 3 <= name.Length; i++)
        {
            yield return ((long)name[i] << 32) | ((long)name[i + 1] << 16) | name[i + 2];
        }
    }

    private sealed class Function(string name)
    {
        public string Name { get; } = name;

        public List<FunctionEntry> Versions { get; } = new(1);

        public bool Dead { get; set; }
    }
}