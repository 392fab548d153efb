using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators;

/// <summary>The queue rules: type, delivery limit, single active consumer and <c>[QueueArguments]</c>, read and checked.</summary>
internal static partial class ContractRules
{
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
}
