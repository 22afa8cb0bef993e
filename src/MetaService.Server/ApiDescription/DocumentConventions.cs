using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MetaService.Server.ApiDescription;

/// <summary>The document's head: its info, its server (the address the document was asked at) and what each tag
/// groups.</summary>
internal static class DocumentConventions
{
    /// <summary>What each tag a route carries groups (a tag missing here fails the lint test). Computed when asked, not
    /// kept in a static field, so that a mutation test can change a text.</summary>
    private static string? TagDescription(string name) => name switch
    {
        "functions" => "Function metadata: drafts (latest, $latest) and published versions, under openYuanrong's /serverless/v1/functions.",
        "functions (frontend path)" => "The same function routes under /admin/v1/functions, the path yrcli and openYuanrong's frontend use.",
        "aliases" => "Aliases of a function (prod, canary) that openYuanrong's frontend, scheduler and runtimes route invocations by, with weights or header rules; a function's version retention.",
        "aliases (frontend path)" => "The same alias routes under /admin/v1/functions.",
        "reserved instances" => "Instance counts per cluster reserved for a label of a faas function version.",
        "pod pools" => "Pools of pre-started pods the platform's pool controller keeps (/yr/podpools/info).",
        "tokens" => "MetaService's API tokens (Auth:Mode token), for admins.",
        "history" => "Every change of a function (who, when, what), the tenant's audit trail, diffs and restores.",
        "watch" => "Changes of functions, reserve-instance labels and pod pools as they happen (Server-Sent Events), resumable by revision.",
        "service" => "Liveness and where the API is described.",
        _ => null,
    };

    public static Task ApplyAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MetaService",
            Version = "v1",
            Description = "openYuanrong's meta_service API: function metadata. Every error answers {code, message}. "
                + "X-Tenant-Id (default 'default') and X-Product-Id select the tenant.",
        };

        // The server's address as the document was asked at, without the trailing slash (paths begin with one).
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= tag.Name is { } name ? TagDescription(name) : null;
        }

        return Task.CompletedTask;
    }
}