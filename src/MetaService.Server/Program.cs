using MetaService.Server;
using MetaService.Server.Functions;
using MetaService.Server.Health;
using MetaService.Server.Pools;
using MetaService.Server.ReservedInstances;
using MetaService.Server.Storage;
using MetaService.Server.Wire;

var builder = WebApplication.CreateBuilder(CommandLineSwitches.Expand(args));
builder.Services.AddMetaCore(builder.Configuration);
builder.Services.AddMetaStore(builder.Configuration);

var app = builder.Build();
app.UseWireErrors();
app.MapHealthApi();
app.MapFunctionsApi();
app.MapReservedInstancesApi();
app.MapPoolsApi();
app.Run();