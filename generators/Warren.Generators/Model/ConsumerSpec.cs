using Warren.Generators.Common;

namespace Warren.Generators.Model;

/// <summary>One <c>[BindHeaders]</c>: match kind (0 all, 1 any) and alternating names and values.</summary>
internal sealed record HeaderBindingSpec(int Match, EquatableArray<string> NamesAndValues);

/// <summary>A consumer class and everything its descriptor needs.</summary>
/// <param name="TypeName">The consumer class, <c>global::Ns.Type</c>.</param>
/// <param name="MessageTypeName">The handled message type, <c>global::Ns.Type</c>.</param>
/// <param name="RegistrationName">The generated registration class's name, unique in the compilation.</param>
/// <param name="QueueType">The type of the consumer's named queue.</param>
/// <param name="DeliveryLimit">For a quorum queue, its delivery limit; otherwise 0.</param>
/// <param name="Arguments">The queue's <c>[QueueArguments]</c>; null when it sets none.</param>
/// <param name="StreamOffset">The text of <c>[Consumer(StreamOffset = ...)]</c>, or null.</param>
/// <param name="StreamConsumerName">The name of <c>[Consumer(StreamConsumerName = ...)]</c>, or null.</param>
/// <param name="TrackStreamOffset">The value of <c>[Consumer(TrackStreamOffset = ...)]</c>.</param>
internal sealed record ConsumerSpec(
    string TypeName,
    string DisplayName,
    string MessageTypeName,
    string RegistrationName,
    string HintName,
    string? Queue,
    bool Durable,
    QueueTypeSpec QueueType,
    int DeliveryLimit,
    QueueArgumentsSpec? Arguments,
    int Prefetch,
    EquatableArray<string> BindingKeys,
    EquatableArray<HeaderBindingSpec> HeaderBindings,
    string? StreamOffset = null,
    string? StreamConsumerName = null,
    bool TrackStreamOffset = true);

/// <summary>A <c>JsonSerializerContext</c> of the compilation and the types its <c>[JsonSerializable]</c> attributes name.</summary>
internal sealed record JsonContextSpec(string ContextTypeName, EquatableArray<string> TypeNames);

/// <summary>What the module initializer registers.</summary>
internal sealed record RegistrationSpec(
    string AssemblyName,
    EquatableArray<string> MessageDescriptors,
    EquatableArray<string> ConsumerRegistrations,
    EquatableArray<string> RpcDescriptors);

/// <summary>
/// What the generated <c>AddWarrenConsumers()</c> and <c>AddWarrenRpcServices()</c> of the assembly add to a host: its
/// consumer classes, its <c>[RpcServer]</c> classes with their services, and clients of the RPC services it declares.
/// </summary>
internal sealed record HostingSpec(
    string AssemblyName,
    EquatableArray<string> Consumers,
    EquatableArray<RpcServerSpec> RpcServers,
    EquatableArray<string> RpcServices);
