using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>One exchange or queue the bus would declare, as it would declare it: what <see cref="DeclareMode.Verify"/> checks.</summary>
internal readonly record struct TopologyExpectation(TopologyEntityKind Kind, string Name, string? ExchangeType, bool Durable, QueueSettings QueueSettings)
{
    public static TopologyExpectation Exchange(string name, string type, bool durable) => new(TopologyEntityKind.Exchange, name, type, durable, default);

    public static TopologyExpectation Queue(string name, QueueSettings settings) => new(TopologyEntityKind.Queue, name, null, settings.Durable, settings);

    /// <summary>An error queue, as <see cref="ErrorQueues"/> declares it: durable, classic, no arguments.</summary>
    public static TopologyExpectation ErrorQueue(string name) => Queue(name, QueueSettings.Classic(durable: true));

    /// <summary>A message type's exchange, or its queue with the queue's error queue when it is a quorum queue (which dead-letters into it).</summary>
    public static IEnumerable<TopologyExpectation> For(MessageDescriptor message) => message.Kind == ExchangeKind.Queue
        ? QueueWithDeadLetters(message.Name, message.QueueSettings)
        : [Exchange(message.Name, message.ExchangeType!, message.Durable)];

    /// <summary>A named queue, preceded by its error queue when it is a quorum queue (as <see cref="QueueSettings.DeclareAsync"/> declares them).</summary>
    public static IEnumerable<TopologyExpectation> QueueWithDeadLetters(string queue, QueueSettings settings) => settings.Type == QueueType.Quorum
        ? [ErrorQueue(ErrorQueues.NameFor(queue)), Queue(queue, settings)]
        : [Queue(queue, settings)];

    /// <summary>
    /// What a subscription on a named queue uses: its message's exchange (or queue), its queue and its error queue. A
    /// server-named queue is the subscription's own and declared in every mode; its error queue is declared by the first
    /// failure in <see cref="DeclareMode.Declare"/>, so it is not expected up front.
    /// </summary>
    public static List<TopologyExpectation> ForSubscription(MessageDescriptor message, SubscriptionPlan plan, string errorQueue)
    {
        List<TopologyExpectation> expected = [.. For(message)];
        if (message.Kind != ExchangeKind.Queue && plan.Queue is { } queue)
        {
            expected.AddRange(QueueWithDeadLetters(queue, plan.QueueSettings));
        }

        if (!plan.Exclusive)
        {
            expected.Add(ErrorQueue(errorQueue));
        }

        return expected;
    }

    public override string ToString() => $"{(Kind == TopologyEntityKind.Exchange ? "exchange" : "queue")} '{Name}'";
}

/// <summary>
/// Checks exchanges and queues without creating any: a passive declare proves each exists; then, since that says nothing
/// of its properties, an active declare with exactly the bus's properties, which the broker answers for an existing entity
/// with declare-ok when they are equivalent and PRECONDITION_FAILED (naming the inequivalent argument) when not, creating
/// nothing. The broker checks configure permission before equivalence, so for a user without it the active declare is
/// refused (ACCESS_REFUSED) and the entity counts as verified by existence only, which is logged. Every failed declare
/// closes its channel, so each check after one runs on a new channel.
/// </summary>
internal static class TopologyVerifier
{
    private static readonly CreateChannelOptions ChannelOptions = new(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false);

    /// <summary>
    /// Checks every expectation (each once) and throws one <see cref="TopologyVerificationException"/> listing every
    /// difference; <paramref name="what"/> (what needs them, such as <c>the subscription of X to queue 'x'</c>) is named in its message.
    /// </summary>
    public static async Task VerifyAsync(
        IConnection connection, string what, IEnumerable<TopologyExpectation> expected, ILogger logger, CancellationToken cancellationToken)
    {
        var differences = new List<TopologyDifference>();
        var seen = new HashSet<(TopologyEntityKind, string)>();
        IChannel? channel = null;
        try
        {
            foreach (TopologyExpectation expectation in expected)
            {
                if (!seen.Add((expectation.Kind, expectation.Name)))
                {
                    continue;
                }

                channel ??= await connection.CreateChannelAsync(ChannelOptions, cancellationToken).ConfigureAwait(false);
                try
                {
                    await DeclarePassiveAsync(channel, expectation, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason && Errors.IsChannelError(reason))
                {
                    differences.Add(Missing(expectation, reason));
                    channel = await DropAsync(channel).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await DeclareAsync(channel, expectation, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason && Errors.IsChannelError(reason))
                {
                    if (reason.ReplyCode == Constants.AccessRefused)
                    {
                        Log.TopologyNotFullyVerified(logger, expectation.ToString(), reason.ReplyText);
                    }
                    else
                    {
                        differences.Add(Differs(expectation, reason));
                    }

                    channel = await DropAsync(channel).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
            }
        }

        if (differences.Count > 0)
        {
            throw new TopologyVerificationException(what, differences);
        }
    }

    private static Task DeclarePassiveAsync(IChannel channel, TopologyExpectation expectation, CancellationToken cancellationToken) =>
        expectation.Kind == TopologyEntityKind.Exchange
            ? channel.ExchangeDeclarePassiveAsync(expectation.Name, cancellationToken)
            : channel.QueueDeclarePassiveAsync(expectation.Name, cancellationToken);

    private static Task DeclareAsync(IChannel channel, TopologyExpectation expectation, CancellationToken cancellationToken) =>
        expectation.Kind == TopologyEntityKind.Exchange
            ? channel.ExchangeDeclareAsync(expectation.Name, expectation.ExchangeType!, expectation.Durable, autoDelete: false, arguments: null, cancellationToken: cancellationToken)
            : channel.QueueDeclareAsync(
                expectation.Name, expectation.QueueSettings.Durable, exclusive: false, autoDelete: false,
                arguments: expectation.QueueSettings.ArgumentsFor(expectation.Name), cancellationToken: cancellationToken);

    /// <summary>What a passive declaration the broker refused says: the entity does not exist, or the broker's reason.</summary>
    internal static TopologyDifference Missing(TopologyExpectation expectation, ShutdownEventArgs reason) =>
        new(expectation.Kind, expectation.Name, reason.ReplyCode == Constants.NotFound ? "does not exist" : Text(reason), reason.ReplyCode);

    /// <summary>What a declaration the broker refused (PRECONDITION_FAILED) says: the entity exists with other properties.</summary>
    internal static TopologyDifference Differs(TopologyExpectation expectation, ShutdownEventArgs reason) =>
        new(expectation.Kind, expectation.Name, "exists with other properties: " + Text(reason), reason.ReplyCode);

    /// <summary>The broker's text without its code's name: <c>inequivalent arg 'durable' for queue 'q' in vhost '/': received 'true' but current is 'false'</c>.</summary>
    private static string Text(ShutdownEventArgs reason)
    {
        string text = reason.ReplyText;
        int dash = text.IndexOf(" - ", StringComparison.Ordinal);
        return dash > 0 && dash < 30 ? text[(dash + 3)..] : text;
    }

    private static async Task<IChannel?> DropAsync(IChannel channel)
    {
        await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
        return null;
    }
}
