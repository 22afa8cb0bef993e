using System.Net;

namespace MetaService.Client;

/// <summary>The server refused a request: its HTTP status and its <c>{code, message}</c> body.</summary>
public sealed class MetaClientException(HttpStatusCode status, int code, string serverMessage)
    : Exception($"{code} {serverMessage} (HTTP {(int)status})")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>openYuanrong's numeric error code (e.g. 4115 not found, 4134 revisionId mismatch).</summary>
    public int Code { get; } = code;

    public string ServerMessage { get; } = serverMessage;
}

/// <summary>The server answered something that is not the wire contract (not JSON, or not the expected shape).</summary>
public sealed class MetaProtocolException(string message, Exception? inner = null) : Exception(message, inner);