using MetaService.Core.History;
using MetaService.Core.Storage;
using MetaService.Server.Auth;
using MetaService.Server.Observability;
using MetaService.Server.Startup;

using Microsoft.Extensions.Options;

namespace MetaService.Server.History;

/// <summary>The function history: its settings, the log every write adds its entry with (told who writes by the
/// request), the readers of the routes, and the pruner.</summary>
internal static class HistoryRegistration
{
    public static IServiceCollection AddHistory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<HistoryOptions>(configuration.GetSection(HistoryOptions.Section));
        services.AddHttpContextAccessor();
        services.AddSingleton(sp =>
        {
            var requests = sp.GetRequiredService<IHttpContextAccessor>();
            return new HistoryLog(sp.GetRequiredService<IOptions<HistoryOptions>>().Value, sp.GetRequiredService<TimeProvider>(), () => ContextOf(requests.HttpContext));
        });
        services.AddSingleton(sp => new HistoryReader(sp.GetRequiredService<IMetaStore>(), sp.GetRequiredService<IOptions<HistoryOptions>>().Value.ChangesCacheBytes));
        services.AddSingleton(sp => new HistorySources(sp.GetRequiredService<IMetaStore>()));
        services.AddHostedService<HistoryPruner>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(HistoryWireJson.Default));
        return services;
    }

    /// <summary>Who writes: the credential's id when authentication is on (else <c>anonymous</c>), the remote address,
    /// and the request's trace id (the access log, the first middleware, gives every request one). A write outside any
    /// request (a test or a tool calling the service) names nobody.</summary>
    private static WriteContext ContextOf(HttpContext? context) => context is null
        ? WriteContext.None
        : new WriteContext(
            Caller.Of(context)?.Id ?? HistoryActor.Anonymous,
            context.Connection.RemoteIpAddress?.ToString() ?? "",
            AccessLog.TraceIdOf(context) ?? "");
}