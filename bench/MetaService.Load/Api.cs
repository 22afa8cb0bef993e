using System.Net;
using System.Text;

namespace MetaService.Load;

/// <summary>The few calls the suites make outside the load loops.</summary>
public static class Api
{
    public const string Functions = "/serverless/v1/functions";

    /// <summary>Creates <paramref name="name"/> and returns its revisionId.</summary>
    public static async Task<string> CreateAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsync(new Uri(Functions, UriKind.Relative), new StringContent(Samples.CreateBody(name), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"create {name} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        return Generator.RevisionId(body);
    }

    public static async Task<byte[]> GetBytesAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}