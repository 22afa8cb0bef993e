namespace MetaService.Server.Functions;

/// <summary>Settings of the read routes' answers (<c>Server:</c>).</summary>
public sealed class FunctionAnswersOptions
{
    public const string Section = "Server";

    /// <summary>The most bytes of rendered get answers kept for the next get or list (0: none are kept).</summary>
    public long AnswerCacheBytes { get; set; } = 64L * 1024 * 1024;
}