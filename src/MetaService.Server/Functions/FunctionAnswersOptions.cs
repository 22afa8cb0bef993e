namespace MetaService.Server.Functions;

/// <summary>Settings of the read routes' answers (<c>Server:</c>).</summary>
public sealed class FunctionAnswersOptions : Core.ISettings
{
    public const string Section = "Server";

    /// <summary>The most bytes of rendered get answers kept for the next get or list (0: none are kept).</summary>
    public long AnswerCacheBytes { get; set; } = 64L * 1024 * 1024;

    public IEnumerable<string> Problems()
    {
        if (AnswerCacheBytes < 0)
        {
            yield return $"Server:AnswerCacheBytes is {AnswerCacheBytes}: give 0 (no answers kept) or a number of bytes (default 67108864)";
        }
    }
}