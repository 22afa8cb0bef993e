using MetaService.Core;
using MetaService.Core.Aliases;
using MetaService.Core.Functions;
using MetaService.Core.Pools;
using MetaService.Core.ReservedInstances;
using MetaService.Server.Wire;

namespace MetaService.Server.Editing;

/// <summary>
/// <c>?dryRun=true</c> on a write route: the handler gets the dry-run twin of its service (the same service on a
/// <see cref="Core.Storage.DryRunStore"/>), so it runs every check the write runs, the compare-and-swap against the
/// store's current state included, and answers exactly what the write would answer, with <c>X-Dry-Run: true</c>, while
/// nothing is written. <c>dryRun=false</c> or no <c>dryRun</c> is the write itself; any other value is a 400.
/// </summary>
public static class DryRun
{
    public const string Parameter = "dryRun";
    public const string Header = "X-Dry-Run";

    /// <summary>Marks a write route as one that takes <c>?dryRun</c>.</summary>
    public static RouteHandlerBuilder WithDryRun(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new DryRunMetadata()).AddEndpointFilter(async (context, next) =>
        {
            var values = context.HttpContext.Request.Query[Parameter];
            if (values.Count == 0 || (values.Count == 1 && bool.FalseString.Equals(values[0], StringComparison.OrdinalIgnoreCase)))
            {
                return await next(context);
            }

            if (values.Count > 1 || !bool.TrueString.Equals(values[0], StringComparison.OrdinalIgnoreCase))
            {
                return WireResults.Error(MetaError.InvalidParam($"{Parameter} must be true or false, once"));
            }

            for (var i = 0; i < context.Arguments.Count; i++)
            {
                context.Arguments[i] = context.Arguments[i] switch
                {
                    FunctionService service => service.AsDryRun(),
                    AliasService service => service.AsDryRun(),
                    PoolService service => service.AsDryRun(),
                    ReservedInstanceService service => service.AsDryRun(),
                    var other => other,
                };
            }

            context.HttpContext.Response.Headers[Header] = "true";
            return await next(context);
        });
}

/// <summary>Says that a route takes <c>?dryRun</c> (for the API description).</summary>
public sealed record DryRunMetadata;