namespace MetaService.Server.ApiDescription;

/// <summary>
/// What the OpenAPI document says about one route: a summary, the query parameters the handler reads itself,
/// the request body type and example, and every answer with its body type and example. A route gets it with
/// one call, <see cref="RouteDocExtensions.WithRouteDoc"/>; the transformer in
/// <see cref="ApiDescriptionRegistration"/> turns it into the operation.
/// </summary>
public sealed record RouteDoc(string Summary, string Description)
{
    public IReadOnlyList<QueryDoc> Query { get; init; } = [];

    public Type? RequestType { get; init; }

    /// <summary>A request body example, as JSON text (taken from openYuanrong's pages where they have one).</summary>
    public string? RequestExample { get; init; }

    public IReadOnlyList<ResponseDoc> Responses { get; init; } = [];
}

/// <summary>A query parameter: its name, whether it is a number, what it does.</summary>
public sealed record QueryDoc(string Name, string Description, bool IsNumber = false);

/// <summary>One answer: its status, body type (null: no body), meaning and example (JSON text, or the body as it is for
/// another <paramref name="ContentType"/>, such as <c>text/event-stream</c>).</summary>
public sealed record ResponseDoc(int Status, Type? BodyType, string Description, string? Example = null, string ContentType = "application/json");

public static class RouteDocExtensions
{
    /// <summary>Describes a route: summary, response types for the schemas, and the doc itself for the request
    /// body, examples and query parameters. The answers every route can give (<see cref="CommonAnswers"/>) are added
    /// once the route's other conventions have run, since they depend on its access. (The request body is not declared
    /// with <c>Accepts</c>: that would make routing refuse bodies without a JSON Content-Type, which openYuanrong's
    /// clients do not always send.)</summary>
    public static RouteHandlerBuilder WithRouteDoc(this RouteHandlerBuilder builder, RouteDoc doc)
    {
        builder.WithSummary(doc.Summary).WithDescription(doc.Description);
        builder.Finally(endpoint =>
        {
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            var described = doc with { Responses = CommonAnswers.With(doc, route, OperationConventions.AccessOf(endpoint.Metadata)) };
            endpoint.Metadata.Add(described);
            foreach (var response in described.Responses)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(response.Status, response.BodyType, response.BodyType is null ? [] : [response.ContentType]));
            }
        });
        return builder;
    }
}