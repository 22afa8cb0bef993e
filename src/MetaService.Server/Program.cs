using MetaService.Server;
using MetaService.Server.ApiDescription;
using MetaService.Server.Functions;
using MetaService.Server.Health;
using MetaService.Server.Observability;
using MetaService.Server.Pools;
using MetaService.Server.ReservedInstances;
using MetaService.Server.Shutdown;
using MetaService.Server.Storage;
using MetaService.Server.Wire;

if (MetaService.Server.Maintenance.MaintenanceCommands.Handles(args)) { Environment.ExitCode = await MetaService.Server.Maintenance.MaintenanceCommands.RunAsync(args); return; }

var builder = WebApplication.CreateBuilder(CommandLineSwitches.Expand(args));
// The store first: its start (on etcd, reading the view) comes before the catalog's, which then loads from memory.
builder.Services.AddMetaStore(builder.Configuration);
builder.Services.AddMetaCore(builder.Configuration);
builder.Services.AddObservability();
builder.Services.AddApiDescription();
builder.Services.AddGracefulShutdown(builder.Configuration);

var app = builder.Build();
app.UseObservability();
app.UseWireErrors();
app.MapApiDescription();
app.MapHealthApi();
app.MapFunctionsApi();
app.MapReservedInstancesApi();
app.MapPoolsApi();
app.Run();