using MetaService.Core.Catalog;

using Microsoft.Extensions.Caching.Memory;

namespace MetaService.Server.Functions;

/// <summary>
/// The get answers of recently read function versions, keyed by record key and kept only for the mod revision they
/// were rendered at. Bounded by bytes (<see cref="FunctionAnswersOptions.AnswerCacheBytes"/>): past the bound the
/// least recently used answers go. Owned by <see cref="FunctionAnswers"/>; nothing else holds rendered bytes.
/// </summary>
internal sealed class AnswerCache : IDisposable
{
    /// <summary>What an entry costs besides its bytes (the key, the entry and the cache's own bookkeeping).</summary>
    private const int Overhead = 256;

    private readonly MemoryCache? _cache;

    public AnswerCache(long capacityBytes)
    {
        if (capacityBytes > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = capacityBytes, CompactionPercentage = 0.25 });
        }
    }

    /// <summary>The answer of <paramref name="entry"/> at its mod revision, when kept.</summary>
    public FunctionAnswers.RenderedGet? Find(FunctionEntry entry) =>
        _cache is not null && _cache.TryGetValue(entry.Key, out Answer? answer) && answer!.ModRevision == entry.ModRevision
            ? answer.Rendered
            : null;

    /// <summary>Keeps <paramref name="rendered"/> as the answer of <paramref name="entry"/> at its mod revision.</summary>
    public void Keep(FunctionEntry entry, FunctionAnswers.RenderedGet rendered)
    {
        if (_cache is null)
        {
            return;
        }

        using var item = _cache.CreateEntry(entry.Key);
        item.Value = new Answer(entry.ModRevision, rendered);
        item.Size = rendered.Bytes.Length + (entry.Key.Length + (rendered.RevisionId?.Length ?? 0)) * 2 + Overhead;
    }

    public void Dispose() => _cache?.Dispose();

    private sealed record Answer(long ModRevision, FunctionAnswers.RenderedGet Rendered);
}