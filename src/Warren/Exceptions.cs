using System;

namespace Warren;

/// <summary>The base of the exceptions Warren throws.</summary>
public class WarrenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WarrenException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public WarrenException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>A type was used as a message or consumer but the Warren generator emitted nothing for it.</summary>
public sealed class MessageNotRegisteredException : WarrenException
{
    /// <summary>Creates the exception for the given type.</summary>
    public MessageNotRegisteredException(Type type)
        : base($"'{type.FullName}' is not a Warren message, consumer or RPC service: mark it [Queue], [Fanout], [Direct], [Topic], [Headers], [Consumer] or [RpcService] " +
               "in a project that references the Warren package, so that its generator emits the code for it.")
    {
        Type = type;
    }

    /// <summary>The type that has no generated code.</summary>
    public Type Type { get; }
}

/// <summary>
/// The broker refused a declaration, typically <c>PRECONDITION_FAILED</c> because the exchange or queue already exists
/// with other properties (durability, type, arguments).
/// </summary>
public sealed class TopologyException : WarrenException
{
    /// <summary>Creates the exception.</summary>
    public TopologyException(string message, ushort replyCode, Exception? innerException)
        : base(message, innerException)
    {
        ReplyCode = replyCode;
    }

    /// <summary>The AMQP reply code, such as 406 (PRECONDITION_FAILED) or 403 (ACCESS_REFUSED).</summary>
    public ushort ReplyCode { get; }
}

/// <summary>
/// The broker refused the connection: wrong credentials, a virtual host that does not exist, or no permission on it.
/// Not retried: it does not get better by waiting.
/// </summary>
public sealed class BrokerAccessDeniedException : WarrenException
{
    internal BrokerAccessDeniedException(string endpoint, Uri uri, string reason, ushort replyCode, Exception? innerException)
        : base($"The broker at {endpoint} refused access to virtual host '{VirtualHostOf(uri)}': {replyCode} {reason}", innerException)
    {
        VirtualHost = VirtualHostOf(uri);
        ReplyCode = replyCode;
    }

    /// <summary>The virtual host the connection asked for.</summary>
    public string VirtualHost { get; }

    /// <summary>The AMQP reply code: 403 (ACCESS_REFUSED) or 530 (NOT_ALLOWED, for a missing virtual host).</summary>
    public ushort ReplyCode { get; }

    private static string VirtualHostOf(Uri uri)
    {
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        return path.Length <= 1 ? "/" : path[1..];
    }
}
