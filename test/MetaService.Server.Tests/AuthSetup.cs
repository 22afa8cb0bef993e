using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MetaService.Server.Tests;

/// <summary>
/// Credentials for the auth tests: a server in modes <c>token</c> and <c>openyuanrong</c> whose first admin token is
/// written by the server to its bootstrap file; API tokens made through the API; openYuanrong tokens made here, from the
/// format of ../shared/spec/openyuanrong-auth.md §2.2 (not with the server's code).
/// </summary>
public static class AuthSetup
{
    /// <summary>The demo key of openYuanrong's scripts: the hex of <c>my-secret-key-for-jwt-demo</c>.</summary>
    public const string DemoKeyHex = "6D792D7365637265742D6B65792D666F722D6A77742D64656D6F";

    public const string TokensRoot = "/serverless/v1/tokens";

    /// <summary>A factory in modes token and openyuanrong, with the demo key and a bootstrap file in its data directory.</summary>
    public static MetaServiceFactory Factory()
    {
        var factory = new MetaServiceFactory();
        factory.Settings["Auth:Mode"] = "token,openyuanrong";
        factory.Settings["Auth:OpenYuanrong:DataKey"] = DemoKeyHex;
        factory.Settings["Auth:BootstrapTokenFile"] = BootstrapFile(factory);
        return factory;
    }

    public static string BootstrapFile(MetaServiceFactory factory) => Path.Combine(factory.DataDirectory, "admin.token");

    /// <summary>The admin token the server wrote to its bootstrap file (the server is started first).</summary>
    public static async Task<string> AdminTokenAsync(MetaServiceFactory factory)
    {
        using var started = factory.CreateClient();
        return (await File.ReadAllTextAsync(BootstrapFile(factory), TestContext.Current.CancellationToken)).Trim();
    }

    /// <summary>A client that sends <paramref name="token"/> as a bearer token (none when null) and, when given, <c>X-Tenant-Id</c>.</summary>
    public static HttpClient Bearer(MetaServiceFactory factory, string? token, string? tenant = null)
    {
        var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("X-Tenant-Id", tenant);
        }

        return client;
    }

    /// <summary>A client that sends <paramref name="token"/> as <c>X-Auth</c>.</summary>
    public static HttpClient XAuth(MetaServiceFactory factory, string token, string? tenant = null)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth", token);
        if (tenant is not null)
        {
            client.DefaultRequestHeaders.Add("X-Tenant-Id", tenant);
        }

        return client;
    }

    /// <summary>Creates an API token through <paramref name="admin"/>; returns its id and the token.</summary>
    public static async Task<(string Id, string Token)> CreateTokenAsync(HttpClient admin, string tenant, string role, long? expiresInSeconds = null, string? product = null)
    {
        var body = new JsonObject { ["tenant"] = tenant, ["role"] = role, ["description"] = $"{role} of {tenant}" };
        if (product is not null)
        {
            body["product"] = product;
        }

        if (expiresInSeconds is { } seconds)
        {
            body["expiresInSeconds"] = seconds;
        }

        using var response = await admin.PostAsync(TokensRoot, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var token = (await Wire.OkAsync(response))["token"]!;
        return ((string)token["id"]!, (string)token["token"]!);
    }

    public static async Task RevokeAsync(HttpClient admin, string id)
    {
        using var response = await admin.DeleteAsync($"{TokensRoot}/{id}", TestContext.Current.CancellationToken);
        await Wire.OkAsync(response);
    }

    /// <summary>An openYuanrong token as its IAM server makes it: base64url header and payload, then the base64url of the
    /// lower-case hex HMAC-SHA256 of both, keyed with the bytes of <paramref name="keyHex"/>.</summary>
    public static string OpenYuanrongToken(string payloadJson, string keyHex = DemoKeyHex)
    {
        var header = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Base64Url(Encoding.UTF8.GetBytes(payloadJson));
        var mac = HMACSHA256.HashData(Convert.FromHexString(keyHex), Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + Base64Url(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac)));
    }

    /// <summary>A developer token of <paramref name="tenant"/> that expires in 2100 (or at <paramref name="exp"/>).</summary>
    public static string Developer(string tenant, long exp = 4102444800, string role = "developer", string keyHex = DemoKeyHex) =>
        OpenYuanrongToken($$"""{"exp":{{exp}},"role":"{{role}}","sub":"{{tenant}}"}""", keyHex);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}