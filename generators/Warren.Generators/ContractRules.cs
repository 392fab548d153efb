using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators;

/// <summary>
/// The rules by which the generator accepts or skips a contract (a message, consumer or RPC service), in one place: the
/// <see cref="WarrenGenerator.Parser"/> applies them, and the analyzers check against the same code, so that a diagnostic
/// appears exactly where the generator would silently emit nothing. Every helper takes symbols and returns names, kinds
/// or bools; none of it reaches the generator's models.
/// </summary>
internal static class ContractRules
{
    private const string AsyncSuffix = "Async";

    /// <summary>The namespace-qualified metadata name, such as <c>Warren.IConsumer`1</c>.</summary>
    public static string? MetadataName(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return type.ContainingType is { } outer ? MetadataName(outer) + "+" + type.MetadataName : ns + type.MetadataName;
    }

    /// <summary>
    /// The CLR's spelling of the type's name (<c>Ns.Outer+Inner</c>): what <c>typeof(T).FullName</c> says, the AMQP
    /// <c>type</c> property, and distinct from a namespace <c>Ns.Outer</c>.
    /// </summary>
    public static string FullName(INamedTypeSymbol type) => MetadataName(type)!;

    /// <summary>The exchange kind of the routing attribute with this metadata name, or null when it is not one.</summary>
    public static ExchangeKindSpec? RoutingKindOf(string? attributeMetadataName) => attributeMetadataName switch
    {
        KnownNames.QueueAttribute => ExchangeKindSpec.Queue,
        KnownNames.FanoutAttribute => ExchangeKindSpec.Fanout,
        KnownNames.DirectAttribute => ExchangeKindSpec.Direct,
        KnownNames.TopicAttribute => ExchangeKindSpec.Topic,
        KnownNames.HeadersAttribute => ExchangeKindSpec.Headers,
        _ => null,
    };

    /// <summary>
    /// The routing attribute the generator emits for: the first one written on <paramref name="type"/>. (Two are an error
    /// the analyzer reports; taking the first keeps two outputs from claiming one file.) <paramref name="kindOf"/> tells a
    /// routing attribute class from others: by metadata name in the generator, by symbol in the analyzers.
    /// </summary>
    public static (AttributeData Attribute, ExchangeKindSpec Kind)? FirstRoutingAttribute(ISymbol type, Func<INamedTypeSymbol?, ExchangeKindSpec?> kindOf)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (kindOf(attribute.AttributeClass) is { } kind)
            {
                return (attribute, kind);
            }
        }

        return null;
    }

    /// <summary>
    /// The name an attribute's single constructor argument gives (a queue, an exchange, an RPC wire name), or null when it
    /// is not a non-empty constant string.
    /// </summary>
    public static string? NameArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name ? name : null;

    /// <summary>
    /// Why the generated code (at namespace level, in the same assembly) cannot name <paramref name="type"/>, or null when
    /// it can: it must be non-generic, not file-local, and public or internal all the way out.
    /// </summary>
    public static string? WhyUnusable(INamedTypeSymbol type)
    {
        if (type.Arity > 0)
        {
            return "is generic";
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string which = ReferenceEquals(current, type) ? "is" : $"is nested in '{current.Name}', which is";
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return which + " private or protected, so generated code cannot reach it";
            }

            if (current.Arity > 0 && !ReferenceEquals(current, type))
            {
                return which + " generic";
            }

            if (current.IsFileLocal)
            {
                return which + " file-local, so generated code in another file cannot reach it";
            }
        }

        return null;
    }

    /// <summary>Instance properties with a getter the generated code (in the same assembly) can call, the type's own first.</summary>
    public static IEnumerable<IPropertySymbol> ReadableProperties(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: { } getter } property
                    && getter.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
                    && seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>
    /// A type that can travel as JSON and be named in generated code: no error types anywhere inside it (half-typed
    /// code), no ref structs or pointers.
    /// </summary>
    public static bool IsSendable(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer } => false,
        { IsRefLikeType: true } => false,
        IArrayTypeSymbol array => IsSendable(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.All(IsSendable),
        _ => true,
    };

    /// <summary>True for <c>CancellationToken</c>: as an RPC method's last parameter it cancels the call and is not sent.</summary>
    public static bool IsCancellationToken(ITypeSymbol type) =>
        type is INamedTypeSymbol named && MetadataName(named) == KnownNames.CancellationToken;

    /// <summary>
    /// How an RPC method's return type is awaited, and the <c>T</c> it yields (<paramref name="result"/>, else null); null
    /// when it is not <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>, since every call waits
    /// for a reply.
    /// </summary>
    public static RpcReturnKind? RpcReturnKindOf(INamedTypeSymbol returnType, out ITypeSymbol? result)
    {
        RpcReturnKind? kind = MetadataName(returnType.OriginalDefinition) switch
        {
            KnownNames.Task => RpcReturnKind.Task,
            KnownNames.ValueTask => RpcReturnKind.ValueTask,
            KnownNames.TaskOfT => RpcReturnKind.TaskOfT,
            KnownNames.ValueTaskOfT => RpcReturnKind.ValueTaskOfT,
            _ => null,
        };
        result = kind is RpcReturnKind.TaskOfT or RpcReturnKind.ValueTaskOfT ? returnType.TypeArguments[0] : null;
        return kind;
    }

    /// <summary>The named argument of <c>[Durable]</c> that sets a quorum queue's delivery limit.</summary>
    public const string DeliveryLimitArgument = "DeliveryLimit";

    /// <summary><c>Warren.DurableAttribute.DefaultDeliveryLimit</c>: the delivery limit of a quorum queue that sets none.</summary>
    public const int DefaultDeliveryLimit = 5;

    /// <summary>
    /// The queue type a <c>[Durable]</c> asks for: quorum for <c>[Durable(QueueType.Quorum)]</c>, stream for
    /// <c>[Durable(QueueType.Stream)]</c>, else classic (also without <c>[Durable]</c>).
    /// </summary>
    public static QueueTypeSpec QueueTypeOf(AttributeData? durable) =>
        durable is { ConstructorArguments.Length: 1 } && durable.ConstructorArguments[0] is { Kind: TypedConstantKind.Enum, Value: int type }
            && type is (int)QueueTypeSpec.Quorum or (int)QueueTypeSpec.Stream
            ? (QueueTypeSpec)type
            : QueueTypeSpec.Classic;

    /// <summary>The named argument of <c>[Consumer]</c> that asks for a single active consumer.</summary>
    public const string SingleActiveArgument = "SingleActive";

    /// <summary>The [Consumer] properties of a stream consumer.</summary>
    public const string StreamOffsetArgument = "StreamOffset";
    public const string StreamConsumerNameArgument = "StreamConsumerName";
    public const string TrackStreamOffsetArgument = "TrackStreamOffset";

    /// <summary>
    /// Why the text of <c>[Consumer(StreamOffset = ...)]</c> is not a stream offset, or null when it is: what
    /// <c>StreamOffset.TryParse</c> reads at run time (first, last, next, a whole number, an ISO 8601 time).
    /// </summary>
    public static string? StreamOffsetProblem(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim();
        if (trimmed.Equals("first", System.StringComparison.OrdinalIgnoreCase) || trimmed.Equals("last", System.StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("next", System.StringComparison.OrdinalIgnoreCase)
            || long.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        if (trimmed.Length >= 10 && char.IsDigit(trimmed[0]) && System.DateTimeOffset.TryParse(
            trimmed, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out _))
        {
            return null;
        }

        return $"'{text}' is not a stream offset: use \"first\", \"last\", \"next\", a whole number (an offset) or an ISO 8601 time such as \"2024-05-01T12:00:00Z\"";
    }

    /// <summary>Whether a <c>[Consumer]</c> says <c>SingleActive = true</c>.</summary>
    public static bool IsSingleActive(AttributeData? consumer) =>
        consumer is not null && consumer.NamedArguments.Any(a => a.Key == SingleActiveArgument && a.Value.Value is true);

    /// <summary>
    /// The arguments Warren declares the queue with, from <c>[QueueArguments]</c> and a consumer's <c>SingleActive</c>; null
    /// when none is set. Values that are invalid on their own (WARREN014) are left out.
    /// </summary>
    public static QueueArgumentsSpec? QueueArgumentsOf(AttributeData? queueArguments, bool singleActive)
    {
        if (queueArguments is null && !singleActive)
        {
            return null;
        }

        var values = new QueueArgumentReader(queueArguments);
        var spec = new QueueArgumentsSpec(
            MessageTtlMilliseconds: values.Milliseconds("MessageTtl", min: 0, out _),
            ExpiresMilliseconds: values.Milliseconds("Expires", min: 1, out _),
            MaxLength: values.Size("MaxLength", out _),
            MaxLengthBytes: values.Size("MaxLengthBytes", out _),
            Overflow: values.Value("Overflow") is int overflow and > 0 and < 4 ? overflow : 0,
            DeadLetterExchange: values.Value("DeadLetterExchange") as string,
            DeadLetterRoutingKey: values.Value("DeadLetterRoutingKey") as string,
            MaxPriority: values.Value("MaxPriority") is byte priority ? priority : 0,
            SingleActiveConsumer: singleActive || values.Value("SingleActiveConsumer") is true,
            MaxAgeSeconds: values.Seconds("MaxAge", out _),
            MaxSegmentSizeBytes: values.Size("MaxSegmentSizeBytes", out _));
        return spec.Entries().Any() ? spec : null;
    }

    /// <summary>
    /// What the broker would refuse in a <c>[QueueArguments]</c> on a queue of type <paramref name="type"/> (WARREN014),
    /// each with the named argument to point at; RabbitMQ 3.10's answers.
    /// </summary>
    public static IEnumerable<(string Property, string Problem)> QueueArgumentProblems(AttributeData queueArguments, QueueTypeSpec type)
    {
        var values = new QueueArgumentReader(queueArguments);
        var problems = new List<(string, string)>();
        void Check(string property, string? problem)
        {
            if (problem is not null)
            {
                problems.Add((property, problem));
            }
        }

        values.Milliseconds("MessageTtl", min: 0, out string? ttlProblem);
        Check("MessageTtl", ttlProblem);
        values.Milliseconds("Expires", min: 1, out string? expiresProblem);
        Check("Expires", expiresProblem);
        values.Seconds("MaxAge", out string? ageProblem);
        Check("MaxAge", ageProblem);
        foreach (string size in new[] { "MaxLength", "MaxLengthBytes", "MaxSegmentSizeBytes" })
        {
            values.Size(size, out string? sizeProblem);
            Check(size, sizeProblem);
        }

        if (values.Value("DeadLetterRoutingKey") is string && values.Value("DeadLetterExchange") is not string)
        {
            Check("DeadLetterRoutingKey", "DeadLetterRoutingKey needs a DeadLetterExchange: RabbitMQ dead-letters to an exchange (write DeadLetterExchange = \"\" for the default exchange, which routes by queue name)");
        }

        string[] streamOnly = { "MaxAge", "MaxSegmentSizeBytes" };
        string[] notOnStreams = { "MessageTtl", "Expires", "MaxLength", "Overflow", "DeadLetterExchange", "DeadLetterRoutingKey", "MaxPriority", "SingleActiveConsumer" };
        if (type == QueueTypeSpec.Stream)
        {
            foreach (string property in notOnStreams.Where(values.IsSet))
            {
                Check(property, $"{property} cannot be set on a stream queue: RabbitMQ refuses it with PRECONDITION_FAILED; a stream takes MaxAge, MaxLengthBytes and MaxSegmentSizeBytes only");
            }
        }
        else
        {
            foreach (string property in streamOnly.Where(values.IsSet))
            {
                Check(property, $"{property} applies to stream queues only ([Durable(QueueType.Stream)]): RabbitMQ refuses it on a {(type == QueueTypeSpec.Quorum ? "quorum" : "classic")} queue with PRECONDITION_FAILED");
            }
        }

        if (type == QueueTypeSpec.Quorum && values.Value("MaxPriority") is byte and > 0)
        {
            Check("MaxPriority", "MaxPriority cannot be set on a quorum queue: RabbitMQ refuses x-max-priority on quorum queues with PRECONDITION_FAILED; use a classic queue for priorities");
        }

        if (type == QueueTypeSpec.Quorum && values.Value("Overflow") is 3)
        {
            Check("Overflow", "QueueOverflow.RejectPublishDlx is not supported by quorum queues, which know drop-head and reject-publish only; use QueueOverflow.RejectPublish or a classic queue");
        }

        return problems;
    }

    /// <summary>The named arguments of a <c>[QueueArguments]</c>, read and checked one by one.</summary>
    private readonly struct QueueArgumentReader
    {
        private readonly AttributeData? _attribute;

        public QueueArgumentReader(AttributeData? attribute) => _attribute = attribute;

        public object? Value(string name)
        {
            if (_attribute is null)
            {
                return null;
            }

            foreach (KeyValuePair<string, TypedConstant> argument in _attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value.Value;
                }
            }

            return null;
        }

        /// <summary>True when the property is set to something that adds an argument (not null, 0 or false).</summary>
        public bool IsSet(string name) => Value(name) switch
        {
            null => false,
            bool b => b,
            byte b => b != 0,
            int i => i != 0,
            long l => l != 0,
            _ => true,
        };

        public long? Size(string name, out string? problem)
        {
            problem = null;
            if (Value(name) is not long size || size == 0)
            {
                return null;
            }

            if (size < 0)
            {
                problem = $"{name} = {size} is negative; use a positive value, or 0 for no limit";
                return null;
            }

            return size;
        }

        public long? Milliseconds(string name, long min, out string? problem)
        {
            if (Duration(name, out problem) is not { } duration)
            {
                return null;
            }

            if (duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                problem = $"{name} = \"{duration}\" is finer than a millisecond, which RabbitMQ counts in";
                return null;
            }

            long ms = duration.Ticks / TimeSpan.TicksPerMillisecond;
            if (ms < min || ms > uint.MaxValue)
            {
                problem = $"{name} = \"{duration}\" is out of range: RabbitMQ takes {(min == 0 ? "zero" : "one millisecond")} to {TimeSpan.FromMilliseconds(uint.MaxValue)} (2^32 - 1 ms)";
                return null;
            }

            return ms;
        }

        public long? Seconds(string name, out string? problem)
        {
            if (Duration(name, out problem) is not { } duration)
            {
                return null;
            }

            if (duration.Ticks % TimeSpan.TicksPerSecond != 0 || duration.Ticks < TimeSpan.TicksPerSecond)
            {
                problem = $"{name} = \"{duration}\" must be a whole number of seconds, at least one: Warren declares it as x-max-age in seconds";
                return null;
            }

            return duration.Ticks / TimeSpan.TicksPerSecond;
        }

        private TimeSpan? Duration(string name, out string? problem)
        {
            problem = null;
            if (Value(name) is not string text)
            {
                return null;
            }

            if (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan duration))
            {
                problem = $"{name} = \"{text}\" is not a duration: write it in TimeSpan format, [d.]hh:mm:ss[.fff], such as \"00:05:00\" for five minutes or \"1.00:00:00\" for a day";
                return null;
            }

            if (duration < TimeSpan.Zero)
            {
                problem = $"{name} = \"{text}\" is negative";
                return null;
            }

            return duration;
        }
    }

    /// <summary>The <c>DeliveryLimit</c> written on a <c>[Durable]</c>, or null when it is not set.</summary>
    public static int? ExplicitDeliveryLimit(AttributeData? durable)
    {
        if (durable is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in durable.NamedArguments)
        {
            if (argument.Key == DeliveryLimitArgument && argument.Value.Value is int limit)
            {
                return limit;
            }
        }

        return null;
    }

    /// <summary>The delivery limit Warren declares for the queue a <c>[Durable]</c> describes: 0 unless it is a quorum queue.</summary>
    public static int DeliveryLimitOf(AttributeData? durable) =>
        QueueTypeOf(durable) == QueueTypeSpec.Quorum ? ExplicitDeliveryLimit(durable) ?? DefaultDeliveryLimit : 0;

    /// <summary>The method's name on the wire: <c>[RpcMethod("name")]</c>, else the C# name without <c>Async</c>.</summary>
    public static string WireName(IMethodSymbol method, AttributeData rpcMethod)
    {
        if (NameArgument(rpcMethod) is { } name)
        {
            return name;
        }

        return method.Name.EndsWith(AsyncSuffix, StringComparison.Ordinal) && method.Name.Length > AsyncSuffix.Length
            ? method.Name.Substring(0, method.Name.Length - AsyncSuffix.Length)
            : method.Name;
    }
}
