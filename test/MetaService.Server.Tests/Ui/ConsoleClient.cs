using System.Net;
using System.Text.RegularExpressions;

using MetaService.Server.Ui;

using Microsoft.AspNetCore.Mvc.Testing;

namespace MetaService.Server.Tests.Ui;

/// <summary>The console's pages and forms over HTTP, in process, without a browser: a client that keeps cookies and
/// does not follow redirects (the tests read each 302/303), and the form token a page renders.</summary>
public static partial class ConsoleClient
{
    public static HttpClient Create(MetaServiceFactory factory, string baseAddress = "http://localhost") =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    /// <summary>A client that sends the <c>Cookie</c> header given on every request and keeps no cookie of its own.</summary>
    public static HttpClient WithCookies(MetaServiceFactory factory, params (string Name, string Value)[] cookies)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={Uri.EscapeDataString(c.Value)}")));
        return client;
    }

    /// <summary>The antiforgery token of the forms of the page at <paramref name="path"/> (its cookie kept by the client).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path = UiRegistration.Root + "/signin") => FormToken(await PageAsync(client, path));

    /// <summary>The form token <paramref name="html"/> renders.</summary>
    public static string FormToken(string html)
    {
        var field = FormTokenField().Match(html);
        Assert.True(field.Success, "the page renders no form token");
        return WebUtility.HtmlDecode(field.Groups[1].Value);
    }

    /// <summary>The page at <paramref name="path"/>, which must answer 200.</summary>
    public static async Task<string> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var html = await TextAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 for {path}, got {(int)response.StatusCode}: {html}");
        return html;
    }

    /// <summary>Posts a form to <paramref name="path"/> with the fields given (and nothing else).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields) =>
        await client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))), TestContext.Current.CancellationToken);

    /// <summary>Signs <paramref name="client"/> in with <paramref name="token"/> through the sign-in form; returns the answer.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string token, string then = UiRegistration.Root)
    {
        var form = await FormTokenAsync(client);
        return await PostAsync(client, UiRegistration.Root + "/signin", (ConsolePage.AntiforgeryField, form), ("then", then), ("token", token));
    }

    /// <summary>A client signed in with <paramref name="token"/> (an API token).</summary>
    public static async Task<HttpClient> SignedInAsync(MetaServiceFactory factory, string token)
    {
        var client = Create(factory);
        using var response = await SignInAsync(client, token);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>A client signed in with a new API token of <paramref name="role"/> in <paramref name="tenant"/>, made by
    /// <paramref name="admin"/>'s token.</summary>
    public static async Task<HttpClient> SignedInAsAsync(MetaServiceFactory factory, string admin, string role, string tenant = "default") =>
        await SignedInAsync(factory, await TokenAsync(factory, admin, role, tenant));

    /// <summary>A new API token of <paramref name="role"/> in <paramref name="tenant"/>, made by <paramref name="admin"/>'s token.</summary>
    public static async Task<string> TokenAsync(MetaServiceFactory factory, string admin, string role, string tenant = "default")
    {
        using var client = AuthSetup.Bearer(factory, admin);
        return (await AuthSetup.CreateTokenAsync(client, tenant, role)).Token;
    }

    /// <summary>Posts a form to <paramref name="path"/> with the form token of the functions page and the fields given.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        var form = await FormTokenAsync(client, UiRegistration.Root);
        return await PostAsync(client, path, [(ConsolePage.AntiforgeryField, form), .. fields]);
    }

    /// <summary>The <c>Set-Cookie</c> header of <paramref name="response"/> for the cookie <paramref name="name"/>, or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.SingleOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal)) : null;

    public static async Task<string> TextAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenField();
}