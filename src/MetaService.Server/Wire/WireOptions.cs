namespace MetaService.Server.Wire;

/// <summary>HTTP settings, from the <c>Server</c> section.</summary>
public sealed class WireOptions
{
    public const string Section = "Server";

    /// <summary>Request bodies larger than this get 413 with a <c>{code, message}</c> body.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}