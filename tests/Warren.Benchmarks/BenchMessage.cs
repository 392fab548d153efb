using System;

namespace Warren.Benchmarks;

/// <summary>
/// The message all three implementations publish and consume. Warren reads its routing from the attributes;
/// the hand-written client and MassTransit get the equivalent settings in code.
/// </summary>
[Queue(WarrenTarget.QueueName), Durable]
public sealed record BenchMessage(int Id, string Name, string Payload, DateTimeOffset At);

/// <summary>Makes the messages of a round; the strings are shared so that only the record itself is allocated per message.</summary>
internal static class BenchMessages
{
    // With camelCase JSON the body is about 116 bytes (a little less for small ids).
    private const string Name = "order-created";
    private static readonly string Payload = new('x', 32);
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    public static BenchMessage Create(int id) => new(id, Name, Payload, At);

    /// <summary>The sum of the ids 0..count-1, which a consumer that saw every message exactly once adds up to.</summary>
    public static long IdSum(int count) => (long)count * (count - 1) / 2;
}
