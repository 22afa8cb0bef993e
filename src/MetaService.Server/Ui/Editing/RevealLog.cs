namespace MetaService.Server.Ui.Editing;

/// <summary>An editor asked the console to show a function's environment values: one log line naming who, which function
/// and which tenant (the history records writes only, and the access log names a route, not its query).</summary>
public static partial class RevealLog
{
    public static void Revealed(HttpContext context, string function)
    {
        var user = ConsoleUser.Of(context);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RevealLog).FullName!);
        Log(logger, user.Caller?.Id ?? "anonymous", function, user.Tenant.TenantId);
    }

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "console: {Caller} revealed the environment values of {Function} (tenant {Tenant})")]
    private static partial void Log(ILogger logger, string caller, string function, string tenant);
}