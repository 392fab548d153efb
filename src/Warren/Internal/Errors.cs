using System;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>Turns the client's exceptions for refused declarations into <see cref="TopologyException"/>.</summary>
internal static class Errors
{
    public static TopologyException Topology(string what, OperationInterruptedException exception)
    {
        ShutdownEventArgs? reason = exception.ShutdownReason;
        string text = reason?.ReplyText ?? exception.Message;
        return new TopologyException($"The broker refused to declare {what}: {text}", reason?.ReplyCode ?? 0, exception);
    }

    public static string Describe(ShutdownEventArgs reason) =>
        $"{reason.ReplyCode} {reason.ReplyText} (initiated by {reason.Initiator.ToString().ToLowerInvariant()})";
}
