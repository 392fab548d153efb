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

    private protected RpcServiceDescriptor(string serviceType, string queue, bool durable, string[] methodNames, QueueType queueType, int deliveryLimit, QueueArgumentValues? arguments)
    {
        ServiceType = serviceType;
        Queue = queue;
        Durable = durable;
        QueueSettings = QueueSettings.Of(durable, queueType, deliveryLimit, arguments);
        MethodNames = methodNames;
        _methodIndexes = new Dictionary<string, int>(methodNames.Length, StringComparer.Ordinal);
        SpanNames = new string[methodNames.Length];
        for (int i = 0; i < methodNames.Length; i++)
        {
            _methodIndexes[methodNames[i]] = i;
            SpanNames[i] = serviceType + "/" + methodNames[i];
        }
    }

    /// <summary>The interface's full name.</summary>
    public string ServiceType { get; }

    /// <summary>The service queue.</summary>
    public string Queue { get; }

    /// <summary>Whether the queue is durable and requests persistent.</summary>
    public bool Durable { get; }

    /// <summary>The type of the service queue (<see cref="DurableAttribute.QueueType"/>).</summary>
    public QueueType QueueType => QueueSettings.Type;

    /// <summary>The delivery limit of a quorum service queue (<see cref="DurableAttribute.DeliveryLimit"/>); 0 for a classic queue.</summary>
    public int DeliveryLimit => QueueSettings.DeliveryLimit;

    /// <summary>The optional arguments of the service queue (<see cref="QueueArgumentsAttribute"/>), or null.</summary>
    public QueueArgumentValues? QueueArguments => QueueSettings.Arguments;

    /// <summary>How the service queue is declared, by servers and clients alike.</summary>
    internal QueueSettings QueueSettings { get; }

    /// <summary>The methods' wire names, in declaration order; a method's index is its position here.</summary>
    public IReadOnlyList<string> MethodNames { get; }

    /// <summary>The RPC span name of each method, <c>{service}/{method}</c> as the conventions ask, made once.</summary>
    internal string[] SpanNames { get; }

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
    /// <param name="serviceType">The interface's full name.</param>
    /// <param name="queue">The service queue.</param>
    /// <param name="durable">Whether the queue is durable and requests persistent.</param>
    /// <param name="methodNames">The methods' wire names, in declaration order.</param>
    /// <param name="queueType">The type of the service queue.</param>
    /// <param name="deliveryLimit">The delivery limit of a quorum service queue.</param>
    /// <param name="arguments">The service queue's <see cref="QueueArgumentsAttribute"/> arguments, or null.</param>
    protected RpcServiceDescriptor(
        string serviceType, string queue, bool durable, string[] methodNames, QueueType queueType = QueueType.Classic, int deliveryLimit = 0,
        QueueArgumentValues? arguments = null)
        : base(serviceType, queue, durable, methodNames, queueType, deliveryLimit, arguments)
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
