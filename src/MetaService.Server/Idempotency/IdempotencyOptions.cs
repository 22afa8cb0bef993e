namespace MetaService.Server.Idempotency;

/// <summary>Settings of the <c>Idempotency-Key</c> header (<c>Idempotency:</c>).</summary>
public sealed class IdempotencyOptions : Core.ISettings
{
    public const string Section = "Idempotency";

    /// <summary>How long a key's answer is kept and replayed, in seconds (default 24 h).</summary>
    public int WindowSeconds { get; set; } = 24 * 60 * 60;

    /// <summary>How often expired keys are looked for and deleted, in seconds.</summary>
    public int PruneIntervalSeconds { get; set; } = 10 * 60;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    public IEnumerable<string> Problems()
    {
        if (WindowSeconds is < 1 or > 30 * 24 * 60 * 60)
        {
            yield return $"Idempotency:WindowSeconds is {WindowSeconds}: give 1 to 2592000 seconds (default 86400, 24 h)";
        }

        if (PruneIntervalSeconds is < 1 or > 24 * 60 * 60)
        {
            yield return $"Idempotency:PruneIntervalSeconds is {PruneIntervalSeconds}: give 1 to 86400 seconds (default 600)";
        }
    }
}