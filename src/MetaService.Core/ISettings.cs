namespace MetaService.Core;

/// <summary>A settings type that knows its own problems: each one names its key and what the value may be. The server
/// binds every settings type the same way and refuses to start while any has a problem.</summary>
public interface ISettings
{
    /// <summary>Every problem of these values; none when they may be used.</summary>
    IEnumerable<string> Problems();
}