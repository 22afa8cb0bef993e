namespace MetaService.Cli;

/// <summary>The weights of <c>yrmeta alias shift</c>: the target version gets exactly the share asked for, and the rest is
/// split among the other versions in proportion to their weights now (whole numbers, largest remainders first, then
/// version order), or given to the alias's functionVersion when no other version has weight.</summary>
internal static class AliasShift
{
    public static Dictionary<string, int> Weights(IReadOnlyDictionary<string, int> current, string functionVersion, string to, int percent)
    {
        if (percent is < 0 or > 100)
        {
            throw new UsageException($"--percent {percent}: give 0 to 100");
        }

        var others = current.Where(w => w.Key != to && w.Value > 0).OrderBy(w => w.Key, StringComparer.Ordinal).ToList();
        var rest = 100 - percent;
        if (others.Count == 0 && rest > 0)
        {
            if (functionVersion == to)
            {
                throw new UsageException($"only {to} has traffic: there is no other version to give {rest} % to (name one with alias update --weights)");
            }

            others = [new(functionVersion, 1)];
        }

        var total = others.Sum(w => w.Value);
        var shares = others.Select(w => (w.Key, Exact: (double)rest * w.Value / total)).ToList();
        var weights = shares.ToDictionary(s => s.Key, s => (int)Math.Floor(s.Exact), StringComparer.Ordinal);
        var left = rest - weights.Values.Sum();
        foreach (var (key, _) in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Key, StringComparer.Ordinal).Take(left))
        {
            weights[key]++;
        }

        weights[to] = percent;
        return weights.Where(w => w.Value > 0 || w.Key == to).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);
    }
}