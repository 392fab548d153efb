using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace Warren.Runtime;

/// <summary>
/// Where generated module initializers register descriptors, so that <see cref="Bus.PublishAsync{TMessage}(TMessage, string?, System.Threading.CancellationToken)"/> and
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

    /// <summary>The descriptor of message type <typeparamref name="TMessage"/>; throws <see cref="MessageNotRegisteredException"/> when it has none.</summary>
    internal static MessageDescriptor<TMessage> Message<TMessage>() =>
        MessageRegistry<TMessage>.Descriptor ?? Initialized(typeof(TMessage), static () => MessageRegistry<TMessage>.Descriptor);

    /// <summary>The descriptor of consumer class <typeparamref name="TConsumer"/>; throws <see cref="MessageNotRegisteredException"/> when it has none.</summary>
    internal static ConsumerDescriptor<TConsumer> Consumer<TConsumer>()
        where TConsumer : class =>
        ConsumerRegistry<TConsumer>.Descriptor ?? Initialized(typeof(TConsumer), static () => ConsumerRegistry<TConsumer>.Descriptor);

    /// <summary>The descriptor of RPC service <typeparamref name="TService"/>; throws <see cref="MessageNotRegisteredException"/> when it has none.</summary>
    internal static RpcServiceDescriptor<TService> RpcService<TService>()
        where TService : class =>
        RpcRegistry<TService>.Descriptor ?? Initialized(typeof(TService), static () => RpcRegistry<TService>.Descriptor);

    /// <summary>
    /// Runs the module initializer of <paramref name="type"/>'s assembly, then looks again. The runtime runs a module
    /// initializer before the first method or static field of its assembly is used, but not when only a type of it is
    /// named (an RPC interface, a message record not yet constructed): a program that first touches another assembly's
    /// contract through Warren would otherwise find nothing registered.
    /// </summary>
    private static TDescriptor Initialized<TDescriptor>(Type type, Func<TDescriptor?> lookup)
        where TDescriptor : class
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(type.Module.ModuleHandle);
        return lookup() ?? throw NotRegistered(type);
    }

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
