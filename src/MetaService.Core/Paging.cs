namespace MetaService.Core;

/// <summary>1-based page index and page size, both already checked.</summary>
public readonly record struct Paging(int PageIndex, int PageSize)
{
    public static Paging Default { get; } = new(1, 1000);
}