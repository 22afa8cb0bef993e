namespace MetaService.Server.Wire;

/// <summary>HTTP settings, from the <c>Server</c> section.</summary>
public sealed class WireOptions : Core.ISettings
{
    public const string Section = "Server";

    /// <summary>Request bodies larger than this get 413 with a <c>{code, message}</c> body.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public IEnumerable<string> Problems()
    {
        if (MaxRequestBodyBytes <= 0)
        {
            yield return $"Server:MaxRequestBodyBytes is {MaxRequestBodyBytes}: give a positive number of bytes (default 1048576)";
        }
    }
}