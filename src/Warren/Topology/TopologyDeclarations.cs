using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The one owner of what the bus has declared on its connection, and of the channel it declares on: each message type's
/// exchange or queue and each plain named queue (an RPC service queue) is declared once, on first use, and the
/// declaration is shared by every publish, subscription, client and server that needs it. A failed declaration is
/// forgotten, so the next use tries again; so is one its user found deleted since. With <see cref="DeclareMode.Verify"/>
/// each of those first uses checks instead of declaring (<see cref="TopologyVerifier"/>), and with <see cref="DeclareMode.None"/>
/// it does nothing. Only the client's own temporary queues (server-named subscription queues) are declared in every mode.
/// </summary>
internal sealed class TopologyDeclarations : IAsyncDisposable
{
    private readonly ChannelSlot _channel;
    private readonly IConnection _connection;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Task> _queues = new(StringComparer.Ordinal);
    // Indexed by MessageDescriptor.Id, so a publish finds its declaration without a lookup.
    private Task?[] _messages = [];

    public TopologyDeclarations(IConnection connection, DeclareMode mode, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        Mode = mode;
        _channel = new ChannelSlot(connection, new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false));
    }

    /// <summary>Whether the bus declares, verifies or assumes its topology.</summary>
    public DeclareMode Mode { get; }

    /// <summary>The declaration channel; opening it first thing tells whether the vhost and permissions let the bus in.</summary>
    public ValueTask<IChannel> GetChannelAsync(CancellationToken cancellationToken) => _channel.GetAsync(cancellationToken);

    /// <summary>The declaration of a message type's exchange or queue on this connection, started on first use.</summary>
    public Task EnsureDeclaredAsync(MessageDescriptor descriptor)
    {
        if (Mode == DeclareMode.None)
        {
            return Task.CompletedTask;
        }

        // A derived message shares its base's exchange (or queue): one declaration for both.
        descriptor = descriptor.Declaration;

        Task?[] declarations = _messages;
        int id = descriptor.Id;
        if ((uint)id < (uint)declarations.Length && declarations[id] is { } existing && !existing.IsFaulted && !existing.IsCanceled)
        {
            return existing;
        }

        lock (_gate)
        {
            if (_messages.Length <= id)
            {
                Array.Resize(ref _messages, Math.Max(id + 1, WarrenRegistry.MessageCount));
            }

            if (_messages[id] is { } raced && !raced.IsFaulted && !raced.IsCanceled)
            {
                return raced;
            }

            Task declaration = DeclareAsync(descriptor);
            _messages[id] = declaration;
            return declaration;
        }
    }

    /// <summary>Drops the cached declaration of a message type, so the next use declares it again (it may have been deleted).</summary>
    public void Forget(MessageDescriptor descriptor)
    {
        descriptor = descriptor.Declaration;
        lock (_gate)
        {
            if ((uint)descriptor.Id < (uint)_messages.Length)
            {
                _messages[descriptor.Id] = null;
            }
        }
    }

    /// <summary>Declares a plain named queue (an RPC service queue) once per connection; both clients and servers call it.</summary>
    public Task EnsureQueueDeclaredAsync(string queue, QueueSettings settings)
    {
        if (Mode == DeclareMode.None)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (_queues.TryGetValue(queue, out Task? existing) && !existing.IsFaulted && !existing.IsCanceled)
            {
                return existing;
            }

            Task declaration = DeclareQueueAsync(queue, settings);
            _queues[queue] = declaration;
            return declaration;
        }
    }

    /// <summary>Drops the cached declaration of a plain named queue, so the next use declares it again (it may have been deleted).</summary>
    public void ForgetQueue(string queue)
    {
        lock (_gate)
        {
            _queues.Remove(queue);
        }
    }

    /// <summary>
    /// Declares a subscription's queue, bindings and error queue on <paramref name="channel"/> (the subscription's own, so
    /// that an exclusive queue belongs to it) and returns the queue's name; a queue message's queue is the message's own.
    /// A server-named queue is the subscription's own and is declared and bound in every mode; with
    /// <see cref="DeclareMode.Verify"/> (which checked the rest before the subscription started) and
    /// <see cref="DeclareMode.None"/> a named queue is only named.
    /// </summary>
    public async Task<string> DeclareSubscriptionQueueAsync(
        IChannel channel, MessageDescriptor message, SubscriptionPlan plan, string errorQueue, CancellationToken cancellationToken)
    {
        if (Mode != DeclareMode.Declare && (plan.Queue is not null || message.Kind == ExchangeKind.Queue))
        {
            return plan.Queue is null || message.Kind == ExchangeKind.Queue ? message.Name : plan.Queue;
        }

        string queue = await DeclareQueueAndBindingsAsync(channel, message, plan, cancellationToken).ConfigureAwait(false);
        if (!plan.Exclusive)
        {
            // A named queue's error queue exists from the start, for operators to watch. A server-named queue is
            // temporary: its error queue (per exchange, durable) is declared by the first failure, so that
            // subscriptions that never fail leave nothing behind.
            await ErrorQueues.DeclareAsync(channel, errorQueue, cancellationToken).ConfigureAwait(false);
        }

        return queue;
    }

    /// <summary>
    /// Declares a subscription's queue and bindings on <paramref name="channel"/> and returns the queue's name; a queue
    /// message's queue is the message's own.
    /// </summary>
    private static async Task<string> DeclareQueueAndBindingsAsync(IChannel channel, MessageDescriptor message, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        if (message.Kind == ExchangeKind.Queue)
        {
            return message.Name;
        }

        string described = plan.Queue is null ? "a server-named queue" : $"queue '{plan.Queue}' as a {plan.QueueSettings}";
        try
        {
            string queue = await plan.QueueSettings.DeclareAsync(channel, plan.Queue ?? string.Empty, plan.Exclusive, cancellationToken).ConfigureAwait(false);
            foreach (string key in plan.BindingKeys)
            {
                await channel.QueueBindAsync(queue, message.Exchange, key, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            foreach (HeadersBinding binding in plan.HeaderBindings)
            {
                await channel.QueueBindAsync(queue, message.Exchange, string.Empty, binding.ToArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return queue;
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"{described} bound to '{message.Exchange}'", ex);
        }
    }

    /// <summary>
    /// With <see cref="DeclareMode.Verify"/>, checks everything <paramref name="expected"/> lists and throws one
    /// <see cref="TopologyVerificationException"/> listing every difference; otherwise does nothing.
    /// </summary>
    public Task VerifyAsync(string what, IEnumerable<TopologyExpectation> expected, CancellationToken cancellationToken) =>
        Mode == DeclareMode.Verify ? TopologyVerifier.VerifyAsync(_connection, what, expected, _logger, cancellationToken) : Task.CompletedTask;

    /// <summary>Declares an error queue on the declaration channel, for when it went missing after the subscription started.</summary>
    /// <exception cref="TopologyException">The mode is not <see cref="DeclareMode.Declare"/>: the error queue is the operator's to make.</exception>
    public async Task DeclareErrorQueueAsync(string errorQueue, CancellationToken cancellationToken)
    {
        if (Mode != DeclareMode.Declare)
        {
            throw new TopologyException(
                $"The error queue '{errorQueue}' does not exist, and DeclareMode.{Mode} does not declare it: declare it as a durable classic queue.",
                Constants.NotFound, null);
        }

        IChannel channel = await _channel.GetAsync(cancellationToken).ConfigureAwait(false);
        await ErrorQueues.DeclareAsync(channel, errorQueue, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Declares everything the loaded Warren code knows: every message type's exchange or queue, every consumer's named
    /// queue with its bindings and error queue, and every RPC service queue. Server-named queues are made when their
    /// subscriptions start. With <see cref="DeclareMode.Verify"/> checks all of that (but bindings) instead, reporting every
    /// difference in one <see cref="TopologyVerificationException"/>; with <see cref="DeclareMode.None"/> does nothing.
    /// </summary>
    public async Task DeclareAllAsync(CancellationToken cancellationToken)
    {
        if (Mode == DeclareMode.None)
        {
            return;
        }

        if (Mode == DeclareMode.Verify)
        {
            await VerifyAsync("the loaded Warren code", Everything(), cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (MessageDescriptor message in WarrenRegistry.Messages)
        {
            await EnsureDeclaredAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (ConsumerDescriptor consumer in WarrenRegistry.Consumers)
        {
            if (consumer.Queue is null && consumer.Message.Kind != ExchangeKind.Queue)
            {
                continue;
            }

            SubscriptionPlan plan = SubscriptionPlan.Create(consumer.Message, consumer, options: null, defaultPrefetch: 1);
            IChannel channel = await _channel.GetAsync(cancellationToken).ConfigureAwait(false);
            await DeclareSubscriptionQueueAsync(channel, consumer.Message, plan, plan.ErrorQueueFor(consumer.Message), cancellationToken).ConfigureAwait(false);
        }

        foreach (RpcServiceDescriptor service in WarrenRegistry.RpcServices)
        {
            await EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What <see cref="DeclareAllAsync"/> declares in <see cref="DeclareMode.Declare"/>, as expectations.</summary>
    private static IEnumerable<TopologyExpectation> Everything()
    {
        foreach (MessageDescriptor message in WarrenRegistry.Messages)
        {
            if (message.Declaration != message)
            {
                continue;
            }

            foreach (TopologyExpectation expectation in TopologyExpectation.For(message))
            {
                yield return expectation;
            }
        }

        foreach (ConsumerDescriptor consumer in WarrenRegistry.Consumers)
        {
            if (consumer.Queue is null && consumer.Message.Kind != ExchangeKind.Queue)
            {
                continue;
            }

            SubscriptionPlan plan = SubscriptionPlan.Create(consumer.Message, consumer, options: null, defaultPrefetch: 1);
            foreach (TopologyExpectation expectation in TopologyExpectation.ForSubscription(consumer.Message, plan, plan.ErrorQueueFor(consumer.Message)))
            {
                yield return expectation;
            }
        }

        foreach (RpcServiceDescriptor service in WarrenRegistry.RpcServices)
        {
            foreach (TopologyExpectation expectation in TopologyExpectation.QueueWithDeadLetters(service.Queue, service.QueueSettings))
            {
                yield return expectation;
            }
        }
    }

    private async Task DeclareAsync(MessageDescriptor descriptor)
    {
        if (Mode == DeclareMode.Verify)
        {
            await TopologyVerifier.VerifyAsync(_connection, $"message {descriptor.MessageType}", TopologyExpectation.For(descriptor), _logger, CancellationToken.None)
                .ConfigureAwait(false);
            return;
        }

        if (descriptor.Kind == ExchangeKind.Queue)
        {
            await DeclareQueueAsync(descriptor.Name, descriptor.QueueSettings).ConfigureAwait(false);
            return;
        }

        IChannel channel = await _channel.GetAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await channel.ExchangeDeclareAsync(descriptor.Name, descriptor.ExchangeType!, descriptor.Durable, autoDelete: false, arguments: null)
                .ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology(descriptor.ToString(), ex);
        }
    }

    private async Task DeclareQueueAsync(string queue, QueueSettings settings)
    {
        if (Mode == DeclareMode.Verify)
        {
            await TopologyVerifier.VerifyAsync(_connection, $"queue '{queue}'", TopologyExpectation.QueueWithDeadLetters(queue, settings), _logger, CancellationToken.None)
                .ConfigureAwait(false);
            return;
        }

        IChannel channel = await _channel.GetAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await settings.DeclareAsync(channel, queue, exclusive: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"queue '{queue}' as a {settings}", ex);
        }
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
