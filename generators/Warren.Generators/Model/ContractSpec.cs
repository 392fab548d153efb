using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Warren.Generators.Common;

namespace Warren.Generators.Model;

// The contract model: what the compilation puts on the wire and declares on the broker, for the AsyncAPI document,
// definitions.json and the contract lock. Kept apart from the descriptor models so that the descriptors' pipeline steps
// stay cached when only a contract detail (a property, a location) changes.

/// <summary>Where a declaration is, as values: recreated as a <see cref="Location"/> only when a diagnostic is reported.</summary>
internal sealed record LocationInfo(string Path, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(Path, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true, SourceTree: { } tree } ? new LocationInfo(tree.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    public static LocationInfo? From(SyntaxReference? reference) => reference is null ? null : From(reference.GetSyntax().GetLocation());
}

/// <summary>
/// A JSON value's type as System.Text.Json (web defaults) writes it, in JSON Schema terms.
/// </summary>
/// <param name="Kind">string, integer, number, boolean, array, map (an object of values), ref (a component schema) or any.</param>
/// <param name="Format">The JSON Schema format (int32, int64, date-time, uuid...), or null.</param>
/// <param name="Ref">For a ref, the component schema's name.</param>
/// <param name="Items">For an array or a map, the element type.</param>
/// <param name="Nullable">Whether null is a value.</param>
/// <param name="EnumValues">For an enum written as strings, its names.</param>
internal sealed record JsonType(
    string Kind,
    string? Format = null,
    string? Ref = null,
    JsonType? Items = null,
    bool Nullable = false,
    EquatableArray<string> EnumValues = default)
{
    /// <summary>The type as the lock file and its diagnostics write it: <c>integer(int32)</c>, <c>array&lt;string&gt;?</c>, <c>#Ns.Quote</c>.</summary>
    public string Display()
    {
        string core = Kind switch
        {
            "array" => "array<" + Items!.Display() + ">",
            "map" => "map<" + Items!.Display() + ">",
            "ref" => "#" + Ref,
            _ when EnumValues.Count > 0 => Kind + " enum(" + string.Join("|", EnumValues) + ")",
            _ when Format is not null => Kind + "(" + Format + ")",
            _ => Kind,
        };
        return Nullable ? core + "?" : core;
    }
}

/// <summary>One member of a component schema, named as it is written in JSON.</summary>
internal sealed record SchemaProperty(string JsonName, JsonType Type, bool Required, LocationInfo? Location);

/// <summary>A derived type System.Text.Json writes in place of its base: its discriminator (JSON text) and its schema.</summary>
internal sealed record DerivedSchema(string Discriminator, string Schema);

/// <summary>An object type's schema: a message's payload or a type one refers to.</summary>
/// <param name="Name">The component's name: the CLR full name, with characters a component key cannot hold replaced.</param>
/// <param name="DiscriminatorProperty">For a polymorphic type, the property naming the derived type (<c>$type</c>); else null.</param>
/// <param name="Derived">The derived types <c>[JsonDerivedType]</c> lists with a discriminator.</param>
/// <param name="IsAbstract">Whether only derived types can be written.</param>
internal sealed record SchemaSpec(
    string Name,
    string ClrType,
    EquatableArray<SchemaProperty> Properties,
    string? DiscriminatorProperty = null,
    EquatableArray<DerivedSchema> Derived = default,
    bool IsAbstract = false);

/// <summary>A queue as Warren declares it (mirrors <c>Warren.Runtime.QueueSettings</c>).</summary>
internal sealed record QueueShape(bool Durable, QueueTypeSpec Type, int DeliveryLimit, QueueArgumentsSpec? Arguments);

/// <summary>Where a message is published: its exchange, or its queue (with the queue's shape) for a queue message.</summary>
internal sealed record MessageRoute(ExchangeKindSpec Kind, string Name, bool Durable, QueueShape Queue);

/// <summary>A message type's contract.</summary>
/// <param name="WireName">The AMQP <c>type</c> property.</param>
/// <param name="Aliases">Earlier wire names it still accepts.</param>
/// <param name="RoutingKey">The routing-key template as written, or null.</param>
/// <param name="Schemas">The payload's schema (named <see cref="ClrType"/>) and those of the types it refers to.</param>
internal sealed record MessageContract(
    string WireName,
    EquatableArray<string> Aliases,
    string ClrType,
    string SchemaName,
    MessageRoute Route,
    string? RoutingKey,
    bool Mandatory,
    EquatableArray<HeaderSpec> Headers,
    EquatableArray<SchemaSpec> Schemas,
    LocationInfo? Location);

/// <summary>A consumer class's contract: the message it takes and the queue, bindings and settings it consumes with.</summary>
/// <param name="ClassName">The class's simple name: the default stream consumer name.</param>
/// <param name="Message">The consumed message's contract (its type may be declared in another assembly).</param>
/// <param name="Queue">The named queue, or null for a server-named one (ignored for a queue message, whose queue is its own).</param>
internal sealed record ConsumerContract(
    string ClrType,
    string ClassName,
    MessageContract Message,
    string? Queue,
    QueueShape QueueShape,
    int Prefetch,
    EquatableArray<string> BindingKeys,
    EquatableArray<HeaderBindingSpec> HeaderBindings,
    string? StreamOffset,
    string? StreamConsumerName,
    bool TrackStreamOffset,
    LocationInfo? Location);

internal sealed record RpcParameterContract(string Name, JsonType Type);

/// <summary>An RPC method: its wire name, what the request carries and what the reply does (null for none).</summary>
internal sealed record RpcMethodContract(string WireName, EquatableArray<RpcParameterContract> Parameters, JsonType? Returns, LocationInfo? Location);

/// <summary>An <c>[RpcService]</c> interface's contract.</summary>
internal sealed record RpcServiceContract(
    string ClrType,
    string Queue,
    QueueShape QueueShape,
    EquatableArray<RpcMethodContract> Methods,
    EquatableArray<SchemaSpec> Schemas,
    LocationInfo? Location);

/// <summary>An <c>[RpcServer]</c> class and the services it serves (possibly declared in another assembly).</summary>
internal sealed record RpcServerContract(string ClrType, EquatableArray<RpcServiceContract> Services);

/// <summary>Everything the contract documents describe, in ordinal order.</summary>
internal sealed record ContractSet(
    EquatableArray<MessageContract> Messages,
    EquatableArray<ConsumerContract> Consumers,
    EquatableArray<RpcServiceContract> RpcServices,
    EquatableArray<RpcServerContract> RpcServers)
{
    public bool IsEmpty => Messages.Count == 0 && Consumers.Count == 0 && RpcServices.Count == 0 && RpcServers.Count == 0;
}

/// <summary>The build's settings for the documents: the assembly's name and version and the virtual host.</summary>
internal sealed record ContractOptions(string AssemblyName, string Version, string VirtualHost, bool AcceptContracts);

/// <summary>The three generated documents.</summary>
internal sealed record ContractDocuments(string AsyncApi, string Definitions, string Lock);

/// <summary>A lock file's text and path.</summary>
internal sealed record LockFile(string Path, string Text);

/// <summary>A contract diagnostic to report, as values: the descriptor's ID, its message and where it points.</summary>
internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location);
