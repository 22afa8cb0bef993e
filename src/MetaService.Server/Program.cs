using MetaService.Server;
using MetaService.Server.Aliases;
using MetaService.Server.ApiDescription;
using MetaService.Server.Auth;
using MetaService.Server.Functions;
using MetaService.Server.Health;
using MetaService.Server.History;
using MetaService.Server.Idempotency;
using MetaService.Server.Limits;
using MetaService.Server.Maintenance;
using MetaService.Server.Observability;
using MetaService.Server.OriginalConfig;
using MetaService.Server.Pools;
using MetaService.Server.ReservedInstances;
using MetaService.Server.Shutdown;
using MetaService.Server.Startup;
using MetaService.Server.Storage;
using MetaService.Server.Tls;
using MetaService.Server.Tokens;
using MetaService.Server.Ui;
using MetaService.Server.Watch;
using MetaService.Server.Wire;

// backup, restore and copy work on a store, not as a server.
if (MaintenanceCommands.Handles(args))
{
    return await MaintenanceCommands.RunAsync(args);
}

// A test host or build tool that runs this program in its own process gets the exceptions, with their messages.
var standalone = !SettingsErrors.HostedInProcess();
if (standalone && ServerArguments.Answer(args, Console.Out, Console.Error) is { } answered)
{
    return answered;
}

try
{
    // appsettings.json is read from beside the program, so the server behaves the same from any working directory.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        // Read once: a settings file is not watched (no inotify instance, of which a user has only 128 on Linux).
        Args = [.. CommandLineSwitches.Expand(args), "--hostBuilder:reloadConfigOnChange=false"],
        ContentRootPath = standalone ? AppContext.BaseDirectory : null,
    });
    builder.AddOriginalConfig();
    builder.AddTls();
    // The store first: its start (on etcd, reading the view) comes before the catalog's, which then loads from memory.
    builder.Services.AddMetaStore(builder.Configuration);
    builder.Services.AddMetaCore(builder.Configuration);
    builder.Services.AddAliases();
    builder.Services.AddAuth(builder.Configuration);
    builder.Services.AddObservability();
    builder.Services.AddLimits(builder.Configuration);
    builder.Services.AddIdempotency(builder.Configuration);
    builder.Services.AddHistory(builder.Configuration);
    builder.Services.AddWatch(builder.Configuration);
    builder.Services.AddWebConsole();
    builder.Services.AddApiDescription();
    builder.Services.AddGracefulShutdown(builder.Configuration);
    builder.Services.AddStartupLog();

    var app = builder.Build();

    // Before the host starts: a bad setting is then one line, not the host's error log, and a test host hears of it from
    // here, before the host it waits on can be disposed under it (its start would then fail with ObjectDisposedException).
    app.ValidateSettings();
    if (standalone)
    {
        // An unreachable etcd is one line too.
        await app.ReadEtcdViewAsync();
    }

    app.UseObservability();
    app.UseWireErrors();
    app.UseRequestHead();
    app.UseAuth();
    app.UseLimits();
    app.MapApiDescription();
    app.MapHealthApi();
    app.MapFunctionsApi();
    app.MapHistoryApi();
    app.MapAliasesApi();
    app.MapReservedInstancesApi();
    app.MapPoolsApi();
    app.MapTokensApi();
    app.MapWatchApi();
    app.MapWebConsole();
    app.Run();
    return 0;
}
catch (Exception e) when (standalone && SettingsErrors.OneLine(e) is { } line)
{
    return SettingsErrors.Report(line);
}