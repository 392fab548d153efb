using System;
using System.Collections.Generic;

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
/// with other properties (durability, type, arguments); or, with <see cref="DeclareMode.None"/>, a queue to consume does
/// not exist. <see cref="TopologyVerificationException"/> reports what <see cref="DeclareMode.Verify"/> found.
/// </summary>
public class TopologyException : WarrenException
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
/// The broker refused access: wrong credentials, a virtual host that does not exist or that the user has no access to,
/// or no permission on an exchange or queue (configure to declare it, write to publish to it, read to consume from it).
/// Not retried: it does not get better by waiting.
/// </summary>
public sealed class BrokerAccessDeniedException : WarrenException
{
    internal BrokerAccessDeniedException(string endpoint, Uri uri, string reason, ushort replyCode, Exception? innerException)
        : base($"The broker at {endpoint} refused access to virtual host '{VirtualHostOf(uri)}': {replyCode} {reason}", innerException)
    {
        VirtualHost = VirtualHostOf(uri);
        Resource = $"vhost '{VirtualHost}'";
        ReplyCode = replyCode;
    }

    /// <summary>Access to one exchange or queue refused: <paramref name="reason"/> is the broker's reply text, which names them.</summary>
    internal BrokerAccessDeniedException(string virtualHost, string resource, string reason, ushort replyCode, Exception? innerException)
        : base($"The broker refused access to {resource} in virtual host '{virtualHost}': {replyCode} {reason}. " +
               "Grant the user the permission (rabbitmqctl set_permissions: configure to declare, write to publish, read to consume).", innerException)
    {
        VirtualHost = virtualHost;
        Resource = resource;
        ReplyCode = replyCode;
    }

    /// <summary>The virtual host the connection asked for.</summary>
    public string VirtualHost { get; }

    /// <summary>
    /// What access was refused to, as the broker names it: <c>exchange 'orders'</c>, <c>queue 'tasks'</c>, or
    /// <c>vhost '/'</c> when the connection itself was refused.
    /// </summary>
    public string Resource { get; }

    /// <summary>The AMQP reply code: 403 (ACCESS_REFUSED) or 530 (NOT_ALLOWED, for a missing virtual host).</summary>
    public ushort ReplyCode { get; }

    private static string VirtualHostOf(Uri uri)
    {
        string path = Uri.UnescapeDataString(uri.AbsolutePath);
        return path.Length <= 1 ? "/" : path[1..];
    }
}

/// <summary>
/// The <c>amqps://</c> broker's certificate was not accepted: it does not chain to a trusted root (the system's or
/// <see cref="BusOptions.TrustedCertificates"/>), it does not name the host connected to, or there was none.
/// Not retried: it does not get better by waiting.
/// </summary>
public sealed class BrokerCertificateException : WarrenException
{
    internal BrokerCertificateException(string endpoint, string reason, Exception? innerException)
        : base($"The TLS certificate of the broker at {endpoint} was not accepted: {reason}. To trust a private CA or a self-signed " +
               "certificate, add it to BusOptions.TrustedCertificates; the certificate must name the host of the URI.", innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the certificate was not accepted.</summary>
    public string Reason { get; }
}

/// <summary>What kind of entity a <see cref="TopologyDifference"/> is about.</summary>
public enum TopologyEntityKind
{
    /// <summary>An exchange.</summary>
    Exchange,

    /// <summary>A queue (a message's queue, a consumer's named queue, an error queue, an RPC service queue).</summary>
    Queue,
}

/// <summary>One way the broker's topology differs from what the bus would have declared.</summary>
/// <param name="Kind">Exchange or queue.</param>
/// <param name="Name">The exchange's or queue's name.</param>
/// <param name="Problem">What is wrong: <c>does not exist</c>, or the broker's words for the inequivalent argument.</param>
/// <param name="ReplyCode">The AMQP reply code that told: 404 (NOT_FOUND) for a missing entity, 406 (PRECONDITION_FAILED) for a mismatch.</param>
public sealed record TopologyDifference(TopologyEntityKind Kind, string Name, string Problem, ushort ReplyCode)
{
    /// <inheritdoc/>
    public override string ToString() => $"{(Kind == TopologyEntityKind.Exchange ? "exchange" : "queue")} '{Name}': {Problem}";
}

/// <summary>
/// <see cref="DeclareMode.Verify"/> found exchanges or queues missing or declared differently from what the bus would
/// declare; <see cref="Differences"/> lists every one of them, and the message names each. Nothing was consumed or
/// published. Not retried: the topology must be fixed (or the bus's declarations changed) first.
/// </summary>
public sealed class TopologyVerificationException : TopologyException
{
    internal TopologyVerificationException(string what, IReadOnlyList<TopologyDifference> differences)
        : base(Describe(what, differences), differences.Count > 0 ? differences[0].ReplyCode : (ushort)0, null)
    {
        Differences = differences;
    }

    /// <summary>Every difference found, in the order checked.</summary>
    public IReadOnlyList<TopologyDifference> Differences { get; }

    private static string Describe(string what, IReadOnlyList<TopologyDifference> differences)
    {
        var text = new System.Text.StringBuilder();
        text.Append("The broker's topology does not match what ").Append(what).Append(" needs (DeclareMode.Verify declares nothing); ")
            .Append(differences.Count).Append(differences.Count == 1 ? " difference:" : " differences:");
        foreach (TopologyDifference difference in differences)
        {
            text.Append(Environment.NewLine).Append("  - ").Append(difference);
        }

        return text.ToString();
    }
}
