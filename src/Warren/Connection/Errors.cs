using System;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>
/// Turns the client's exceptions for refused operations into Warren's: <see cref="BrokerAccessDeniedException"/> for
/// ACCESS_REFUSED (a permission, never worth retrying), <see cref="TopologyException"/> for other refused declarations.
/// A declaration interrupted by a connection loss is no refusal: its <see cref="TopologyException"/> says so, and
/// <see cref="IsConnectionFault"/> recognizes it, for callers that wait for recovery and declare again.
/// </summary>
internal static class Errors
{
    private const string AccessTo = "access to ";
    private const string InVhost = " in vhost '";

    public static WarrenException Topology(string what, OperationInterruptedException exception)
    {
        ShutdownEventArgs? reason = exception.ShutdownReason;
        string text = reason?.ReplyText ?? exception.Message;
        if (IsConnectionFault(exception))
        {
            return new TopologyException($"Could not declare {what}: the connection to the broker went down ({text})", reason?.ReplyCode ?? 0, exception);
        }

        if (reason is not null && AccessDenied(reason, exception) is { } denied)
        {
            return denied;
        }

        return new TopologyException($"The broker refused to declare {what}: {text}", reason?.ReplyCode ?? 0, exception);
    }

    /// <summary>
    /// The typed error for a channel the broker closed with ACCESS_REFUSED, or null for any other closure. The broker's
    /// text names the resource and the virtual host: <c>ACCESS_REFUSED - access to exchange 'x' in vhost '/' refused for user 'u'</c>.
    /// </summary>
    public static BrokerAccessDeniedException? AccessDenied(ShutdownEventArgs reason, Exception? innerException)
    {
        if (reason.ReplyCode != Constants.AccessRefused)
        {
            return null;
        }

        string text = reason.ReplyText;
        int access = text.IndexOf(AccessTo, StringComparison.Ordinal);
        if (access < 0)
        {
            // Another refusal with the same code, such as a reserved 'amq.' name: not a permission.
            return null;
        }

        int vhost = text.LastIndexOf(InVhost, StringComparison.Ordinal);
        string resource = vhost > access ? text[(access + AccessTo.Length)..vhost] : "a resource";
        string virtualHost = "?";
        if (vhost >= 0)
        {
            int start = vhost + InVhost.Length;
            int end = text.IndexOf("' refused", start, StringComparison.Ordinal);
            virtualHost = end > start ? text[start..end] : text[start..].TrimEnd('\'');
        }

        return new BrokerAccessDeniedException(virtualHost, resource, text, reason.ReplyCode, innerException);
    }

    /// <summary>True when the broker's closure text names <paramref name="exchange"/> (<c>"amq.default"</c> for the default exchange).</summary>
    public static bool NamesExchange(string replyText, string exchange) =>
        replyText.Contains($"exchange '{(exchange.Length == 0 ? "amq.default" : exchange)}'", StringComparison.Ordinal);

    /// <summary>
    /// True when an operation failed because the connection (not the broker's verdict on it) went away: the channel was
    /// already closed, or closed by a connection-level error or by the network. Waiting for recovery and trying again helps.
    /// </summary>
    public static bool IsConnectionFault(Exception exception) => exception switch
    {
        TopologyException { InnerException: OperationInterruptedException interrupted } => IsConnectionFault(interrupted),
        OperationInterruptedException { ShutdownReason: { } reason } => !IsChannelError(reason),
        OperationInterruptedException => true,
        System.IO.IOException => true,
        _ => false,
    };

    /// <summary>True for a closure of one channel by the broker (a soft error: 403, 404, 405, 406...), as opposed to a connection loss.</summary>
    public static bool IsChannelError(ShutdownEventArgs reason) =>
        reason.Initiator == ShutdownInitiator.Peer && reason.ReplyCode is 311 or 312 or 313 or 403 or 404 or 405 or 406;

    public static string Describe(ShutdownEventArgs reason) =>
        $"{reason.ReplyCode} {reason.ReplyText} (initiated by {reason.Initiator.ToString().ToLowerInvariant()})";
}
