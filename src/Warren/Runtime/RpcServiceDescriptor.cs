using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Runtime;

/// <summary>
/// What the generator knows about one <see cref="RpcServiceAttribute"/> interface: its queue and methods, how to make a
/// client proxy and how to dispatch a request to an implementation. Generated code derives from
/// <see cref="RpcServiceDescriptor{TService}"/>; users do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcServiceDescriptor
{
    private readonly Dictionary<string, int> _methodIndexes;

    private protected RpcServiceDescriptor(string serviceType, string queue, bool durable, string[] methodNames)
    {
        ServiceType = serviceType;
        Queue = queue;
        Durable = durable;
        MethodNames = methodNames;
        _methodIndexes = new Dictionary<string, int>(methodNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < methodNames.Length; i++)
        {
            _methodIndexes[methodNames[i]] = i;
        }
    }

    /// <summary>The interface's full name.</summary>
    public string ServiceType { get; }

    /// <summary>The service queue.</summary>
    public string Queue { get; }

    /// <summary>Whether the queue is durable and requests persistent.</summary>
    public bool Durable { get; }

    /// <summary>The methods' wire names, in declaration order; a method's index is its position here.</summary>
    public IReadOnlyList<string> MethodNames { get; }

    /// <summary>
    /// The index of the method a request names in its <c>type</c> property; without one, the only method of a
    /// one-method service (what the tutorial's client sends). -1 when there is no such method.
    /// </summary>
    internal int FindMethod(string? wireName)
    {
        if (string.IsNullOrEmpty(wireName))
        {
            return MethodNames.Count == 1 ? 0 : -1;
        }

        return _methodIndexes.TryGetValue(wireName, out int index) ? index : -1;
    }
}

/// <summary>The generated description of RPC service <typeparamref name="TService"/>.</summary>
/// <typeparam name="TService">The service interface.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RpcServiceDescriptor<TService> : RpcServiceDescriptor
    where TService : class
{
    /// <summary>Creates the descriptor; called by generated code.</summary>
    protected RpcServiceDescriptor(string serviceType, string queue, bool durable, string[] methodNames)
        : base(serviceType, queue, durable, methodNames)
    {
    }

    /// <summary>Creates the generated proxy, which calls <paramref name="caller"/> for every method.</summary>
    public abstract TService CreateClient(RpcCaller caller);

    /// <summary>
    /// Reads the arguments of method <paramref name="method"/> from the request, calls it on <paramref name="service"/> and
    /// writes its result (or JSON null) to <paramref name="reply"/>.
    /// </summary>
    public abstract ValueTask DispatchAsync(TService service, int method, RpcRequest request, Utf8JsonWriter reply, CancellationToken cancellationToken);
}

/// <summary>The arguments of one call, written by a generated struct: the bare value for one parameter, an object keyed by parameter name for several.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRpcArguments
{
    /// <summary>Writes the request body.</summary>
    void Write(Utf8JsonWriter writer, RpcJson json);
}
