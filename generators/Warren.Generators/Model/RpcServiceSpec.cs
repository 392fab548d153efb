using Warren.Generators.Common;

namespace Warren.Generators.Model;

/// <summary>What an RPC method returns.</summary>
internal enum RpcReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>One parameter sent on the wire (the trailing CancellationToken is not one).</summary>
internal sealed record RpcParameterSpec(string Name, string TypeName);

/// <summary>An <c>[RpcMethod]</c> and everything its proxy method and dispatch case need.</summary>
/// <param name="ResultTypeName">The <c>T</c> of <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, or null.</param>
/// <param name="CancellationTokenName">The trailing CancellationToken parameter's name, or null when there is none.</param>
internal sealed record RpcMethodSpec(
    string Name,
    string WireName,
    RpcReturnKind ReturnKind,
    string ReturnTypeName,
    string? ResultTypeName,
    EquatableArray<RpcParameterSpec> Parameters,
    string? CancellationTokenName);

/// <summary>An <c>[RpcService]</c> interface and its methods.</summary>
/// <param name="QueueType">The type of the service queue.</param>
/// <param name="DeliveryLimit">For a quorum queue, its delivery limit; otherwise 0.</param>
/// <param name="Arguments">The queue's <c>[QueueArguments]</c>; null when it sets none.</param>
internal sealed record RpcServiceSpec(
    string TypeName,
    string ServiceType,
    string DescriptorName,
    string HintName,
    string Queue,
    bool Durable,
    QueueTypeSpec QueueType,
    int DeliveryLimit,
    QueueArgumentsSpec? Arguments,
    EquatableArray<RpcMethodSpec> Methods);

/// <summary>An <c>[RpcServer]</c> class and the <c>[RpcService]</c> interfaces it implements, which it serves in a host.</summary>
/// <param name="TypeName">The class, <c>global::Ns.Type</c>.</param>
/// <param name="ServiceTypeNames">Its <c>[RpcService]</c> interfaces, <c>global::Ns.IService</c>, in ordinal order.</param>
internal sealed record RpcServerSpec(string TypeName, EquatableArray<string> ServiceTypeNames);
