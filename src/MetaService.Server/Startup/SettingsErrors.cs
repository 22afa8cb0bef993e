using System.Diagnostics;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MetaService.Server.Startup;

/// <summary>
/// Turns every settings problem into one line on standard error and exit code 1: a bad key from the command
/// line, the environment, appsettings.json or openYuanrong's config file. Without this the host logs the
/// exception with its stack and the runtime prints it again.
/// </summary>
public static partial class SettingsErrors
{
    /// <summary>The one line for <paramref name="exception"/> when it is a settings problem; null otherwise (a bug,
    /// which keeps its stack trace).</summary>
    public static string? OneLine(Exception exception) => exception switch
    {
        SettingsException e => Line(e.Message),
        OptionsValidationException e => Line(string.Join("; ", e.Failures)),
        InvalidOperationException e when Conversion().Match(e.Message) is { Success: true } m =>
            Line($"{m.Groups["key"].Value} is '{m.Groups["value"].Value}', which is not a valid {Friendly(m.Groups["type"].Value)}: "
                + $"give e.g. --{m.Groups["key"].Value} {Example(m.Groups["type"].Value)}"),
        AggregateException { InnerExceptions.Count: 1 } e => OneLine(e.InnerExceptions[0]),
        IOException { InnerException: AddressInUseException } e =>
            Line($"{e.Message.TrimEnd('.')}: another program listens there; stop it, or give another address with --urls"),
        _ => null,
    };

    /// <summary>Checks every option registered with <c>ValidateOnStart</c> now, before the host starts, so that a
    /// bad value reaches <see cref="OneLine"/> instead of the host's start-up error log (which would print its stack).</summary>
    public static WebApplication ValidateSettings(this WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        return app;
    }

    /// <summary>True when a test host or a build tool runs this program in its own process (it listens to the hosting
    /// diagnostics to catch the host being built): the exception then goes to it, with its message, instead of being
    /// printed.</summary>
    public static bool HostedInProcess()
    {
        using var hosting = new DiagnosticListener("Microsoft.Extensions.Hosting");
        return hosting.IsEnabled();
    }

    /// <summary>Writes the line and answers the exit code.</summary>
    public static int Report(string line)
    {
        Console.Error.WriteLine(line);
        return 1;
    }

    private static string Line(string message) => "MetaService cannot start: " + message.ReplaceLineEndings(" ");

    private static string Friendly(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.UInt32" => "whole number",
        "System.Double" => "number",
        "System.TimeSpan" => "duration",
        "System.Boolean" => "true/false",
        _ => type,
    };

    private static string Example(string type) => type switch
    {
        "System.TimeSpan" => "00:00:05",
        "System.Boolean" => "true",
        _ => "8",
    };

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex Conversion();
}