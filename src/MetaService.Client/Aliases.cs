using System.Text.Json.Serialization;

using MetaService.Core.Aliases;

namespace MetaService.Client;

/// <summary>The alias routes (<c>…/functions/{name}/aliases</c>) and a function's version retention.</summary>
public sealed partial class MetaClient
{
    public async Task<AliasView> CreateAliasAsync(string name, AliasRequest request, CancellationToken cancellationToken = default) =>
        Alias(await SendAsync(HttpMethod.Post, AliasesOf(name), Body(request, AliasClientJson.Default.AliasRequest), AliasClientJson.Default.AliasAnswer, cancellationToken));

    public async Task<AliasView> GetAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        Alias(await SendAsync(HttpMethod.Get, AliasesOf(name, alias), null, AliasClientJson.Default.AliasAnswer, cancellationToken));

    /// <summary>Every alias of a function, page after page.</summary>
    public Task<List<AliasView>> ListAliasesAsync(string name, CancellationToken cancellationToken = default) =>
        AllPagesAsync(async index =>
        {
            var query = Query(("pageIndex", Text(index)), ("pageSize", Text(_options.PageSize)));
            var page = (await SendAsync(HttpMethod.Get, AliasesOf(name) + query, null, AliasClientJson.Default.AliasPageAnswer, cancellationToken)).Result;
            return (page?.Aliases?.ToList(), page?.Total ?? 0);
        });

    /// <summary>Updates an alias; <paramref name="request"/> carries the revisionId it was read at (else 412, 4134).</summary>
    public async Task<AliasView> UpdateAliasAsync(string name, string alias, AliasUpdateRequest request, CancellationToken cancellationToken = default) =>
        Alias(await SendAsync(HttpMethod.Put, AliasesOf(name, alias), Body(request, AliasClientJson.Default.AliasUpdateRequest), AliasClientJson.Default.AliasAnswer, cancellationToken));

    /// <summary>Deletes an alias; with <paramref name="ifMatch"/> (a revisionId) only while the alias is at it.</summary>
    public async Task DeleteAliasAsync(string name, string alias, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Delete, AliasesOf(name, alias), null);
        IfMatch(request, ifMatch);
        await SendAsync(request, Info<StatusAnswer>(), cancellationToken);
    }

    /// <summary>Puts an alias back to its routing before its last routing change, as a new revision.</summary>
    public async Task<AliasView> RollbackAliasAsync(string name, string alias, string? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Post, AliasesOf(name, alias) + "/rollback", null);
        IfMatch(request, ifMatch);
        return Alias(await SendAsync(request, AliasClientJson.Default.AliasAnswer, cancellationToken));
    }

    public async Task<VersionRetention> SetRetentionAsync(string name, VersionRetention retention, CancellationToken cancellationToken = default) =>
        (await SendAsync(HttpMethod.Put, PathOf(name) + "/retention", Body(retention, AliasClientJson.Default.VersionRetention), AliasClientJson.Default.RetentionAnswer, cancellationToken)).Result
            ?? throw new MetaProtocolException($"PUT {PathOf(name)}/retention: the answer carries no retention");

    private static string AliasesOf(string name, string? alias = null) =>
        PathOf(name) + "/aliases" + (alias is null ? "" : "/" + Uri.EscapeDataString(alias));

    private static void IfMatch(HttpRequestMessage request, string? revisionId)
    {
        if (revisionId is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{revisionId}\"");
        }
    }

    private static AliasView Alias(AliasAnswer answer) => answer.Result ?? throw new MetaProtocolException("the answer carries no alias");
}

public sealed record AliasAnswer(int Code, string? Message, AliasView? Result);

public sealed record AliasPageAnswer(int Code, string? Message, AliasPage? Result);

public sealed record RetentionAnswer(int Code, string? Message, VersionRetention? Result);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AliasRequest))]
[JsonSerializable(typeof(AliasUpdateRequest))]
[JsonSerializable(typeof(AliasView))]
[JsonSerializable(typeof(List<AliasView>))]
[JsonSerializable(typeof(AliasAnswer))]
[JsonSerializable(typeof(AliasPageAnswer))]
[JsonSerializable(typeof(RetentionAnswer))]
[JsonSerializable(typeof(VersionRetention))]
public sealed partial class AliasClientJson : JsonSerializerContext;