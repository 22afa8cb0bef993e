using System.Runtime.InteropServices;

namespace MetaService.Core.Catalog;

/// <summary>
/// The functions of one tenant, indexed for the list route: by product and name, and by the trigrams of
/// each name, so that a name filter of three or more characters looks only at names that share its rarest
/// trigram. The trigrams are built on the first filtered list, not at start-up (1.4M postings for 100k
/// names). Not thread-safe: the catalog locks it.
/// </summary>
internal sealed partial class TenantIndex(string prefix)
{
    private readonly Dictionary<FunctionKey, Function> _functions = [];
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
        var key = new FunctionKey(entry.Product, entry.Name);
        if (put)
        {
            var function = FunctionOf(key);
            var at = IndexOf(function.Versions, entry);
            if (at < 0 || function.Versions[at].ModRevision < entry.ModRevision)
            {
                Put(function, entry, at);
            }
        }
        else if (_functions.TryGetValue(key, out var function) && IndexOf(function.Versions, entry) is var at and >= 0
            && function.Versions[at].ModRevision < entry.ModRevision)
        {
            Remove(key, function, function.Versions[at]);
        }
    }

    public void Put(FunctionEntry entry)
    {
        var function = FunctionOf(new FunctionKey(entry.Product, entry.Name));
        Put(function, entry, IndexOf(function.Versions, entry));
    }

    public void Remove(FunctionEntry entry)
    {
        var key = new FunctionKey(entry.Product, entry.Name);
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

    /// <summary>The function of the key, added (without versions yet) when new: one look-up either way.</summary>
    private Function FunctionOf(FunctionKey key)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_functions, key, out var exists);
        if (!exists)
        {
            // The key's name is the function's: one string per function, whatever its number of versions.
            slot = new Function(key.Name);
            if (_indexed)
            {
                Index(slot);
            }
        }

        return slot!;
    }

    /// <summary>Puts the entry, whose key the function's versions hold at <paramref name="at"/> (-1: not yet).</summary>
    private void Put(Function function, FunctionEntry entry, int at)
    {
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

    private void Remove(FunctionKey key, Function function, FunctionEntry entry)
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
    public FunctionEntry? Find(string product, string name, string key)
    {
        if (_functions.TryGetValue(new FunctionKey(product, name), out var function))
        {
            foreach (var version in function.Versions)
            {
                if (version.KeyIs(key))
                {
                    return version;
                }
            }
        }

        return null;
    }

    /// <summary>How many versions (drafts and published) the tenant has.</summary>
    public long Entries { get; private set; }

    /// <summary>The keys of the entries changed after <paramref name="revision"/>.</summary>
    public IEnumerable<string> KeysChangedAfter(long revision) =>
        _functions.Values.SelectMany(function => function.Versions).Where(entry => entry.ModRevision > revision).Select(entry => entry.Key);

    public List<FunctionEntry> Versions(string product, string name) =>
        _functions.TryGetValue(new FunctionKey(product, name), out var function) ? [.. function.Versions] : [];

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

    /// <summary>A function's product and name. A struct of its own, so that the dictionary's code is made for it: with a
    /// tuple of strings it ran the shared generic code, 9 % of the CPU of loading a million keys.</summary>
    private readonly struct FunctionKey(string product, string name) : IEquatable<FunctionKey>
    {
        public string Product { get; } = product;

        public string Name { get; } = name;

        public bool Equals(FunctionKey other) => string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(Product, other.Product, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is FunctionKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(Name.GetHashCode(StringComparison.Ordinal), Product.GetHashCode(StringComparison.Ordinal));
    }
}