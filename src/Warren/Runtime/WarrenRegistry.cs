using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace Warren.Runtime;

/// <summary>
/// Where generated module initializers register descriptors, so that <see cref="Bus.PublishAsync{TMessage}"/> and
/// <see cref="Bus.SubscribeAsync{TConsumer}(TConsumer, SubscribeOptions?, System.Threading.CancellationToken)"/> find the generated code through static generic caches, without reflection.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WarrenRegistry
{
    private static readonly object Gate = new();
    private static MessageDescriptor[] s_messages = [];
    private static ConsumerDescriptor[] s_consumers = [];
    private static RpcServiceDescriptor[] s_services = [];

    /// <summary>Registers a message descriptor; called by generated module initializers.</summary>
    public static void Register<TMessage>(MessageDescriptor<TMessage> descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (Gate)
        {
            if (MessageRegistry<TMessage>.Descriptor is not null)
            {
                return;
            }

            descriptor.Id = s_messages.Length;
            s_messages = [.. s_messages, descriptor];
            MessageRegistry<TMessage>.Descriptor = descriptor;
        }
    }

    /// <summary>Registers a consumer descriptor; called by generated module initializers.</summary>
    public static void Register<TConsumer>(ConsumerDescriptor<TConsumer> descriptor)
        where TConsumer : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (Gate)
        {
            if (ConsumerRegistry<TConsumer>.Descriptor is not null)
            {
                return;
            }

            s_consumers = [.. s_consumers, descriptor];
            ConsumerRegistry<TConsumer>.Descriptor = descriptor;
        }
    }

    /// <summary>Registers an RPC service descriptor; called by generated module initializers.</summary>
    public static void Register<TService>(RpcServiceDescriptor<TService> descriptor)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        lock (Gate)
        {
            if (RpcRegistry<TService>.Descriptor is not null)
            {
                return;
            }

            s_services = [.. s_services, descriptor];
            RpcRegistry<TService>.Descriptor = descriptor;
        }
    }

    /// <summary>Every message type registered so far, in registration order.</summary>
    public static IReadOnlyList<MessageDescriptor> Messages => s_messages;

    /// <summary>Every consumer registered so far, in registration order.</summary>
    public static IReadOnlyList<ConsumerDescriptor> Consumers => s_consumers;

    /// <summary>Every RPC service registered so far, in registration order.</summary>
    public static IReadOnlyList<RpcServiceDescriptor> RpcServices => s_services;

    internal static int MessageCount => s_messages.Length;

    internal static MessageNotRegisteredException NotRegistered(Type type) => new(type);
}

/// <summary>The generated descriptor of <typeparamref name="TMessage"/>, set once by a module initializer.</summary>
internal static class MessageRegistry<TMessage>
{
    internal static MessageDescriptor<TMessage>? Descriptor;
}

/// <summary>The generated descriptor of <typeparamref name="TConsumer"/>, set once by a module initializer.</summary>
internal static class ConsumerRegistry<TConsumer>
    where TConsumer : class
{
    internal static ConsumerDescriptor<TConsumer>? Descriptor;
}

/// <summary>The generated descriptor of RPC service <typeparamref name="TService"/>, set once by a module initializer.</summary>
internal static class RpcRegistry<TService>
    where TService : class
{
    internal static RpcServiceDescriptor<TService>? Descriptor;
}
