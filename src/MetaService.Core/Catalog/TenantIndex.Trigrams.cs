namespace MetaService.Core.Catalog;

/// <summary>The trigram index of the tenant's names: which functions a name filter looks at.</summary>
internal sealed partial class TenantIndex
{
    private IEnumerable<Function> Candidates(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length < 3)
        {
            return _functions.Values;
        }

        if (!_indexed)
        {
            IndexAll();
            _indexed = true;
            Compaction.SoonAfterBuild(_functions.Count);
        }

        List<Function>? rarest = null;
        foreach (var trigram in DistinctTrigrams(name))
        {
            if (_common.Contains(trigram))
            {
                continue;
            }

            if (!_trigrams.TryGetValue(trigram, out var posting))
            {
                return [];
            }

            if (rarest is null || posting.Count < rarest.Count)
            {
                rarest = posting;
            }
        }

        // Only common trigrams: every name is a candidate (Match checks each).
        return rarest ?? (IEnumerable<Function>)_functions.Values;
    }

    private void Index(Function function)
    {
        foreach (var trigram in DistinctTrigrams(function.Name))
        {
            if (_common.Contains(trigram))
            {
                continue;
            }

            if (!_trigrams.TryGetValue(trigram, out var posting))
            {
                _trigrams[trigram] = posting = [];
            }

            posting.Add(function);
        }
    }

    /// <summary>Indexes every name in two passes, so that each posting list is made at its final size: grown by
    /// doubling, a million names would leave hundreds of megabytes of outgrown arrays behind.</summary>
    private void IndexAll()
    {
        var counts = new Dictionary<long, int>();
        foreach (var function in _functions.Values)
        {
            foreach (var trigram in DistinctTrigrams(function.Name))
            {
                counts[trigram] = counts.GetValueOrDefault(trigram) + 1;
            }
        }

        var commonAbove = Math.Max(CommonFrom, _functions.Count / 4);
        _trigrams.EnsureCapacity(counts.Count);
        foreach (var (trigram, count) in counts)
        {
            if (count > commonAbove)
            {
                _common.Add(trigram);
            }
            else
            {
                _trigrams[trigram] = new List<Function>(count);
            }
        }

        foreach (var function in _functions.Values)
        {
            foreach (var trigram in DistinctTrigrams(function.Name))
            {
                if (_trigrams.TryGetValue(trigram, out var posting))
                {
                    posting.Add(function);
                }
            }
        }
    }

    /// <summary>The name's trigrams, each once, in <see cref="_scratch"/> (reused: indexing a million names makes no garbage).</summary>
    private ArraySegment<long> DistinctTrigrams(string name)
    {
        var count = Math.Max(0, name.Length - 2);
        if (_scratch.Length < count)
        {
            _scratch = new long[count];
        }

        for (var i = 0; i < count; i++)
        {
            _scratch[i] = ((long)name[i] << 32) | ((long)name[i + 1] << 16) | name[i + 2];
        }

        Array.Sort(_scratch, 0, count);
        var distinct = 0;
        for (var i = 0; i < count; i++)
        {
            if (distinct == 0 || _scratch[distinct - 1] != _scratch[i])
            {
                _scratch[distinct++] = _scratch[i];
            }
        }

        return new ArraySegment<long>(_scratch, 0, distinct);
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
}