using System;

namespace Warren;

/// <summary>
/// Makes an interface an RPC contract served on a queue: the generator emits a client proxy that implements it over
/// RabbitMQ (<see cref="Bus.CreateClient{TService}"/>) and a dispatcher that serves any implementation of it
/// (<see cref="Bus.ServeAsync{TService}"/>). Add <see cref="DurableAttribute"/> for a durable queue and persistent requests.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class RpcServiceAttribute : Attribute
{
    /// <param name="queue">The queue the servers consume and the clients send requests to.</param>
    public RpcServiceAttribute(string queue) => Queue = queue;

    /// <summary>The service queue.</summary>
    public string Queue { get; }
}

/// <summary>
/// Marks a class that implements one or more <see cref="RpcServiceAttribute"/> interfaces as their server in a host: the
/// generated <c>AddWarrenRpcServices()</c> of its assembly serves each of those interfaces with it, resolving a new
/// instance from a DI scope for every request. Without a host, pass an instance to <see cref="Bus.ServeAsync{TService}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RpcServerAttribute : Attribute
{
}

/// <summary>
/// Marks a method of an <see cref="RpcServiceAttribute"/> interface as callable remotely. It returns <c>Task</c>,
/// <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c> and may end with a <c>CancellationToken</c>, which is not sent.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RpcMethodAttribute : Attribute
{
    /// <summary>Names the method on the wire after the C# name without its <c>Async</c> suffix (<c>FibAsync</c> is <c>Fib</c>).</summary>
    public RpcMethodAttribute()
    {
    }

    /// <param name="name">The method's name on the wire, sent in the AMQP <c>type</c> property.</param>
    public RpcMethodAttribute(string name) => Name = name;

    /// <summary>The method's name on the wire, or null for the default.</summary>
    public string? Name { get; }
}
