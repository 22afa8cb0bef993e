using MetaService.Server.ApiDescription;

namespace MetaService.Server.Tokens;

/// <summary>The token routes in the OpenAPI document.</summary>
public static class TokenDocs
{
    private static ResponseDoc Invalid => FunctionDocs.Error(400, "invalid input (4104, 130600)", 4104, "role must be viewer, editor or admin. check input parameters");
    private static ResponseDoc Unauthenticated => FunctionDocs.Error(401, "no credential, or one that does not prove who calls (190401)", 190401, "the bearer token is unknown or revoked");
    private static ResponseDoc Forbidden => FunctionDocs.Error(403, "the credential is not an admin's (190403)", 190403, "role admin is required; this credential has role editor");

    public static RouteDoc Create => new("Create an API token", "Admins only. The answer holds the token; the server keeps only its SHA-256, so it cannot be shown again.")
    {
        RequestType = typeof(TokenRequest),
        RequestExample = """{"tenant":"alice","role":"editor","description":"CI of team alice","expiresInSeconds":2592000}""",
        Responses =
        [
            new(200, typeof(TokenEnvelope), "created; token is shown this once",
                """{"code":0,"message":"SUCCESS","token":{"id":"3f9a0c1d2e4b5a6c","tenant":"alice","product":"","role":"editor","description":"CI of team alice","createdAt":"2026-12-01T10:00:00+00:00","expiresAt":"2026-12-31T10:00:00+00:00","token":"yrm_…"}}"""),
            Invalid, Unauthenticated, Forbidden,
        ],
    };

    public static RouteDoc List => new("List API tokens", "Admins only. Every token of every tenant, without the tokens themselves.")
    {
        Responses =
        [
            new(200, typeof(TokenListEnvelope), "the tokens",
                """{"code":0,"message":"SUCCESS","tokens":[{"id":"3f9a0c1d2e4b5a6c","tenant":"alice","product":"","role":"editor","description":"CI of team alice","createdAt":"2026-12-01T10:00:00+00:00","expiresAt":null}]}"""),
            Unauthenticated, Forbidden,
        ],
    };

    public static RouteDoc Revoke => new("Revoke an API token", "Admins only. Deletes the token's record; every replica refuses the token once its watch brings the deletion.")
    {
        Responses =
        [
            new(200, typeof(TokenRevokedEnvelope), "revoked", """{"code":0,"message":"SUCCESS"}"""),
            Invalid, Unauthenticated, Forbidden, FunctionDocs.Error(404, "no such token (190404)", 190404, "token 3f9a0c1d2e4b5a6c does not exist or is revoked"),
        ],
    };
}