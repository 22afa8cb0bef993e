namespace MetaService.Server.Startup;

/// <summary>A setting that stops the start: its message is one line that names the key and says how to fix it,
/// printed alone on standard error (no stack trace: the fault is in the settings, not in the code).</summary>
public sealed class SettingsException(string message) : Exception(message)
{
}