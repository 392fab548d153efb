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
    private protected ConsumerDescriptor(string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings)
    {
        Queue = queue;
        Durable = durable;
        Prefetch = prefetch;
        BindingKeys = bindingKeys;
        HeaderBindings = headerBindings;
    }

    /// <summary>The named queue from <see cref="ConsumerAttribute.Queue"/>, or null for a server-named exclusive queue.</summary>
    public string? Queue { get; }

    /// <summary>Whether the consumer's named queue is durable.</summary>
    public bool Durable { get; }

    /// <summary>The prefetch from <see cref="ConsumerAttribute.Prefetch"/>; 0 means the default.</summary>
    public ushort Prefetch { get; }

    /// <summary>The keys of <see cref="BindAttribute"/>.</summary>
    public IReadOnlyList<string> BindingKeys { get; }

    /// <summary>The bindings of <see cref="BindHeadersAttribute"/>.</summary>
    public IReadOnlyList<HeadersBinding> HeaderBindings { get; }

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
    private protected ConsumerDescriptor(string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings)
        : base(queue, durable, prefetch, bindingKeys, headerBindings)
    {
    }

    /// <inheritdoc/>
    public sealed override Type ConsumerType => typeof(TConsumer);

    internal abstract System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        Bus bus, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken);
}

/// <summary>The generated description of consumer <typeparamref name="TConsumer"/> of <typeparamref name="TMessage"/>.</summary>
/// <typeparam name="TConsumer">The consumer class.</typeparam>
/// <typeparam name="TMessage">The message it handles.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConsumerDescriptor<TConsumer, TMessage> : ConsumerDescriptor<TConsumer>
    where TConsumer : class, IConsumer<TMessage>
{
    /// <summary>Creates the descriptor; called by generated code.</summary>
    public ConsumerDescriptor(string? queue, bool durable, ushort prefetch, string[] bindingKeys, HeadersBinding[] headerBindings)
        : base(queue, durable, prefetch, bindingKeys, headerBindings)
    {
    }

    /// <inheritdoc/>
    public override MessageDescriptor Message =>
        MessageRegistry<TMessage>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TMessage));

    internal override System.Threading.Tasks.Task<Subscription> SubscribeAsync(
        Bus bus, TConsumer consumer, SubscribeOptions? options, System.Threading.CancellationToken cancellationToken)
    {
        MessageDescriptor<TMessage> message = MessageRegistry<TMessage>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TMessage));
        SubscriptionPlan plan = SubscriptionPlan.Create(message, this, options);
        return bus.SubscribeCoreAsync(message, consumer, plan, cancellationToken);
    }
}
