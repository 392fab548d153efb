using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace Warren.Runtime;

/// <summary>
/// What the generator knows about one consumer class: its queue, bindings and prefetch.
/// Generated code creates <see cref="ConsumerDescriptor{TConsumer, TMessage}"/>; users do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ConsumerDescriptor
{
    private protected ConsumerDescriptor(
        string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings, QueueType queueType, int deliveryLimit, QueueArgumentValues? arguments)
    {
        Queue = queue;
        Durable = durable;
        QueueSettings = QueueSettings.Of(durable, queueType, deliveryLimit, arguments);
        Prefetch = prefetch;
        BindingKeys = bindingKeys;
        HeaderBindings = headerBindings;
    }

    /// <summary>The named queue from <see cref="ConsumerAttribute.Queue"/>, or null for a server-named exclusive queue.</summary>
    public string? Queue { get; }

    /// <summary>Whether the consumer's named queue is durable.</summary>
    public bool Durable { get; }

    /// <summary>The type of the consumer's named queue (<see cref="DurableAttribute.QueueType"/>).</summary>
    public QueueType QueueType => QueueSettings.Type;

    /// <summary>The delivery limit of the consumer's named quorum queue (<see cref="DurableAttribute.DeliveryLimit"/>); 0 for a classic queue.</summary>
    public int DeliveryLimit => QueueSettings.DeliveryLimit;

    /// <summary>The optional arguments of the consumer's named queue (<see cref="QueueArgumentsAttribute"/>), or null.</summary>
    public QueueArgumentValues? QueueArguments => QueueSettings.Arguments;

    /// <summary>How the consumer's named queue is declared, from its <see cref="DurableAttribute"/> and <see cref="QueueArgumentsAttribute"/>.</summary>
    internal QueueSettings QueueSettings { get; }

    /// <summary>The prefetch from <see cref="ConsumerAttribute.Prefetch"/>; 0 means the default.</summary>
    public ushort Prefetch { get; }

    /// <summary>The keys of <see cref="BindAttribute"/>.</summary>
    public IReadOnlyList<string> BindingKeys { get; }

    /// <summary>The bindings of <see cref="BindHeadersAttribute"/>.</summary>
    public IReadOnlyList<HeadersBinding> HeaderBindings { get; }

    /// <summary>The text of <see cref="ConsumerAttribute.StreamOffset"/>, or null.</summary>
    public string? StreamOffset { get; private protected init; }

    /// <summary>The name of <see cref="ConsumerAttribute.StreamConsumerName"/>, or null for the class's name.</summary>
    public string? StreamConsumerName { get; private protected init; }

    /// <summary>The value of <see cref="ConsumerAttribute.TrackStreamOffset"/>.</summary>
    public bool TrackStreamOffset { get; private protected init; } = true;

    /// <summary>The consumer class.</summary>
    public abstract Type ConsumerType { get; }

    /// <summary>The message the consumer handles.</summary>
    public abstract MessageDescriptor Message { get; }
}

/// <summary>A consumer descriptor as <see cref="Bus.SubscribeAsync{TConsumer}(TConsumer, SubscribeOptions?, System.Threading.CancellationToken)"/> looks it up.</summary>
/// <typeparam name="TConsumer">The consumer class.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ConsumerDescriptor<TConsumer> : ConsumerDescriptor
    where TConsumer : class
{
    private protected ConsumerDescriptor(
        string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings, QueueType queueType, int deliveryLimit, QueueArgumentValues? arguments)
        : base(queue, durable, prefetch, bindingKeys, headerBindings, queueType, deliveryLimit, arguments)
    {
    }

    /// <inheritdoc/>
    public sealed override Type ConsumerType => typeof(TConsumer);

    internal abstract System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        Bus bus, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken);

    /// <summary>Subscribes with a consumer resolved from a new DI scope for every message (the hosted consumers of <c>AddWarren</c>).</summary>
    internal abstract System.Threading.Tasks.Task<Subscription> SubscribeScopedAsync(
        Bus bus, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken);

    /// <summary>The subscription these options would make; throws <see cref="ArgumentException"/> for options the message cannot take.</summary>
    internal abstract SubscriptionPlan Plan(SubscribeOptions? options, ushort defaultPrefetch);

    /// <summary>Subscribes on something other than a bus that consumes as one does (Warren.Testing's in-process broker).</summary>
    internal abstract System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        IConsumerHost host, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken);
}

/// <summary>What subscribes a consumer of a known message type as a plan says: Warren.Testing's in-process broker.</summary>
internal interface IConsumerHost
{
    /// <summary>The prefetch when neither the consumer nor the options set one.</summary>
    ushort DefaultPrefetch { get; }

    /// <summary>Subscribes <paramref name="consumer"/> as <paramref name="plan"/> says.</summary>
    System.Threading.Tasks.Task<Subscription> SubscribeCoreAsync<TMessage>(
        MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, SubscriptionPlan plan, System.Threading.CancellationToken cancellationToken);
}

/// <summary>The generated description of consumer <typeparamref name="TConsumer"/> of <typeparamref name="TMessage"/>.</summary>
/// <typeparam name="TConsumer">The consumer class.</typeparam>
/// <typeparam name="TMessage">The message it handles.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConsumerDescriptor<TConsumer, TMessage> : ConsumerDescriptor<TConsumer>
    where TConsumer : class, IConsumer<TMessage>
{
    /// <summary>Creates the descriptor; called by generated code.</summary>
    /// <param name="queue">The named queue, or null for a server-named one.</param>
    /// <param name="durable">Whether the named queue is durable.</param>
    /// <param name="prefetch">The prefetch; 0 for the default.</param>
    /// <param name="bindingKeys">The binding keys.</param>
    /// <param name="headerBindings">The headers bindings.</param>
    /// <param name="queueType">The type of the named queue.</param>
    /// <param name="deliveryLimit">The delivery limit of a named quorum queue.</param>
    /// <param name="arguments">The named queue's arguments (<see cref="QueueArgumentsAttribute"/>, <see cref="ConsumerAttribute.SingleActive"/>), or null.</param>
    /// <param name="streamOffset">The text of <see cref="ConsumerAttribute.StreamOffset"/>, or null.</param>
    /// <param name="streamConsumerName">The name of <see cref="ConsumerAttribute.StreamConsumerName"/>, or null.</param>
    /// <param name="trackStreamOffset">The value of <see cref="ConsumerAttribute.TrackStreamOffset"/>.</param>
    public ConsumerDescriptor(
        string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings,
        QueueType queueType = QueueType.Classic, int deliveryLimit = 0, QueueArgumentValues? arguments = null,
        string? streamOffset = null, string? streamConsumerName = null, bool trackStreamOffset = true)
        : base(queue, durable, prefetch, bindingKeys, headerBindings, queueType, deliveryLimit, arguments)
    {
        StreamOffset = streamOffset;
        StreamConsumerName = streamConsumerName;
        TrackStreamOffset = trackStreamOffset;
    }

    /// <inheritdoc/>
    public override MessageDescriptor Message => WarrenRegistry.Message<TMessage>();

    internal override System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        Bus bus, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken) =>
        bus.SubscribeCoreAsync(WarrenRegistry.Message<TMessage>(), consumer, Plan(options, bus.Options.Prefetch), cancellationToken);

    internal override System.Threading.Tasks.Task<Subscription> SubscribeScopedAsync(
        Bus bus, Microsoft.Extensions.DependencyInjection.IServiceScopeFactory scopes, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken) =>
        bus.SubscribeCoreAsync(WarrenRegistry.Message<TMessage>(), new Hosting.ScopedConsumer<TConsumer, TMessage>(scopes), Plan(options, bus.Options.Prefetch), cancellationToken);

    internal override System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        IConsumerHost host, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken) =>
        host.SubscribeCoreAsync(WarrenRegistry.Message<TMessage>(), consumer, Plan(options, host.DefaultPrefetch), cancellationToken);

    internal override SubscriptionPlan Plan(SubscribeOptions? options, ushort defaultPrefetch) =>
        SubscriptionPlan.Create(WarrenRegistry.Message<TMessage>(), this, options, defaultPrefetch);
}
