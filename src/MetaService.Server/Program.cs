using MetaService.Server;
using MetaService.Server.ApiDescription;
using MetaService.Server.Functions;
using MetaService.Server.Health;
using MetaService.Server.Observability;
using MetaService.Server.OriginalConfig;
using MetaService.Server.Pools;
using MetaService.Server.ReservedInstances;
using MetaService.Server.Shutdown;
using MetaService.Server.Startup;
using MetaService.Server.Storage;
using MetaService.Server.Wire;

try
{
    var builder = WebApplication.CreateBuilder(CommandLineSwitches.Expand(args));
    builder.AddOriginalConfig();
    // The store first: its start (on etcd, reading the view) comes before the catalog's, which then loads from memory.
    builder.Services.AddMetaStore(builder.Configuration);
    builder.Services.AddMetaCore(builder.Configuration);
    builder.Services.AddObservability();
    builder.Services.AddApiDescription();
    builder.Services.AddGracefulShutdown(builder.Configuration);
    builder.Services.AddStartupLog();

    var app = builder.Build();
    app.ValidateSettings();
    await app.ReadEtcdViewAsync();
    app.UseObservability();
    app.UseWireErrors();
    app.MapApiDescription();
    app.MapHealthApi();
    app.MapFunctionsApi();
    app.MapReservedInstancesApi();
    app.MapPoolsApi();
    app.Run();
    return 0;
}
catch (Exception e) when (SettingsErrors.OneLine(e) is { } line && !SettingsErrors.HostedInProcess())
{
    return SettingsErrors.Report(line);
}