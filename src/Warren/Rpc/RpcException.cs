using System;

namespace Warren;

/// <summary>
/// The server answered a call with an error: its handler threw, the method is unknown to it, or it could not read the
/// request. Carries the remote exception's type name and message; the stack trace only when the server opts in.
/// </summary>
public sealed class RpcException : WarrenException
{
    /// <summary>Creates the exception from an error reply.</summary>
    public RpcException(string service, string method, string remoteType, string remoteMessage, string? remoteStackTrace)
        : base($"{service}.{method} failed on the server: {remoteType}: {remoteMessage}")
    {
        Service = service;
        Method = method;
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The service queue.</summary>
    public string Service { get; }

    /// <summary>The method's wire name.</summary>
    public string Method { get; }

    /// <summary>The full name of the exception type on the server, or a Warren error kind such as <see cref="UnknownMethod"/>.</summary>
    public string RemoteType { get; }

    /// <summary>The server-side exception's message.</summary>
    public string RemoteMessage { get; }

    /// <summary>The server-side stack trace, when the server sets <see cref="ServeOptions.IncludeExceptionDetails"/>.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The remote type of the error a server sends for a method it does not have.</summary>
    public const string UnknownMethod = "Warren.UnknownMethod";

    /// <summary>The remote type of the error a server sends for a request it cannot read.</summary>
    public const string MalformedRequest = "Warren.MalformedRequest";
}
