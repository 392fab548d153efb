using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Warren.Runtime;
using Xunit;

namespace Warren.IntegrationTests;

[Topic("warren.test.streams", RoutingKey = "{Run}"), Durable]
public sealed record StreamEvent(string Run, int Seq);

/// <summary>A stream consumer declared by attributes: starts at the first message, tracks its offset under its class name.</summary>
[Consumer(Queue = StreamTests.ResumeStream, StreamOffset = "first"), Durable(QueueType.Stream), Bind("resume")]
public sealed class ResumingStreamReader : IConsumer<StreamEvent>
{
    public ConcurrentQueue<(int Seq, long Offset)> Seen { get; } = new();

    public TimeSpan Delay { get; init; }

    public async ValueTask HandleAsync(StreamEvent message, MessageContext context, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        Seen.Enqueue((message.Seq, context.StreamOffset ?? -1));
    }
}

/// <summary>Consuming stream queues: start offsets, resuming by consumer name after a restart, failures, against the real broker.</summary>
public sealed class StreamTests
{
    public const string ResumeStream = "warren.test.streams.resume";
    private const string Exchange = "warren.test.streams";

    private static (string Stream, string Run) Names(string test)
    {
        string run = $"{test}.{Guid.NewGuid():N}"[..(test.Length + 9)];
        return ($"warren.test.streams.{run}", run);
    }

    private static SubscribeOptions On(string stream, string run, StreamOffset offset) => new()
    {
        Queue = stream,
        QueueType = QueueType.Stream,
        Bindings = [run],
        StreamOffset = offset,
    };

    private static async Task PublishAsync(Bus bus, string run, IEnumerable<int> seqs)
    {
        foreach (int seq in seqs)
        {
            await bus.PublishAsync(new StreamEvent(run, seq));
        }
    }

    /// <summary>Declares the stream and its binding without consuming: subscribe from next and stop at once.</summary>
    private static async Task DeclareAsync(Bus bus, string stream, string run)
    {
        await using Subscription declare = await bus.SubscribeAsync<StreamEvent>((_, _, _) => default, On(stream, run, StreamOffset.Next));
    }

    [Fact]
    public async Task From_first_every_message_is_replayed_in_order_with_increasing_offsets()
    {
        (string stream, string run) = Names("first");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream]);
        await using Bus bus = await Broker.ConnectAsync("streams-first");
        await DeclareAsync(bus, stream, run);
        await PublishAsync(bus, run, Enumerable.Range(0, 30));

        var inbox = new Inbox<StreamEvent>();
        await using (await bus.SubscribeAsync<StreamEvent>((m, c, _) => { inbox.Add(m, c); return default; }, On(stream, run, StreamOffset.First)))
        {
            await inbox.WaitForAsync(30);
            await inbox.AssertQuietAsync(30);
        }

        Assert.Equal(Enumerable.Range(0, 30), inbox.Messages.Select(m => m.Seq));
        long[] offsets = inbox.Items.Select(i => i.Context.StreamOffset!.Value).ToArray();
        Assert.All(offsets.Zip(offsets.Skip(1)), pair => Assert.True(pair.Second > pair.First, $"{pair.Second} after {pair.First}"));
        Assert.All(inbox.Items, i => Assert.Equal(stream, i.Context.Queue));

        // From a numeric offset: that message and the ones after it, none before (the broker starts at a chunk's start; Warren skips to the offset).
        var fromOffset = new Inbox<StreamEvent>();
        await using (await bus.SubscribeAsync<StreamEvent>((m, c, _) => { fromOffset.Add(m, c); return default; }, On(stream, run, StreamOffset.Offset(offsets[20]))))
        {
            await fromOffset.WaitForAsync(10);
            await fromOffset.AssertQuietAsync(10);
        }

        Assert.Equal(Enumerable.Range(20, 10), fromOffset.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task From_a_timestamp_the_messages_stored_since_then_are_read_and_older_ones_are_not()
    {
        (string stream, string run) = Names("time");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream]);
        await using Bus bus = await Broker.ConnectAsync("streams-time");
        await DeclareAsync(bus, stream, run);
        await PublishAsync(bus, run, Enumerable.Range(0, 10));
        // The broker finds a timestamp by chunk, to the second: leave well over a second between the batches.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        DateTimeOffset since = DateTimeOffset.UtcNow;
        await PublishAsync(bus, run, Enumerable.Range(100, 10));

        var inbox = new Inbox<StreamEvent>();
        await using (await bus.SubscribeAsync<StreamEvent>((m, c, _) => { inbox.Add(m, c); return default; }, On(stream, run, StreamOffset.At(since))))
        {
            await inbox.WaitForAsync(10);
            await inbox.AssertQuietAsync(10);
        }

        Assert.Equal(Enumerable.Range(100, 10), inbox.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task From_next_only_new_messages_are_read_and_from_last_the_last_chunk_too()
    {
        (string stream, string run) = Names("next");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream]);
        await using Bus bus = await Broker.ConnectAsync("streams-next");
        await DeclareAsync(bus, stream, run);
        await PublishAsync(bus, run, Enumerable.Range(0, 5));

        var next = new Inbox<StreamEvent>();
        var last = new Inbox<StreamEvent>();
        await using (await bus.SubscribeAsync<StreamEvent>((m, c, _) => { next.Add(m, c); return default; }, On(stream, run, StreamOffset.Next)))
        await using (await bus.SubscribeAsync<StreamEvent>((m, c, _) => { last.Add(m, c); return default; }, On(stream, run, StreamOffset.Last)))
        {
            // The broker attaches a consumer asynchronously after consume-ok: let both settle before publishing.
            await Task.Delay(500);
            await PublishAsync(bus, run, Enumerable.Range(100, 5));
            await next.WaitForAsync(5);
            await next.AssertQuietAsync(5);
            await WorkQueueTests.WaitUntilAsync(() => last.Messages.Count(m => m.Seq >= 100) == 5);
        }

        Assert.Equal(Enumerable.Range(100, 5), next.Messages.Select(m => m.Seq));
        // The last chunk holds at least the last old message; nothing older than the chunk, then every new one in order.
        int[] fromLast = last.Messages.Select(m => m.Seq).ToArray();
        Assert.Contains(4, fromLast);
        Assert.True(fromLast.Count(s => s < 100) <= 5);
        Assert.Equal(Enumerable.Range(100, 5), fromLast.Where(s => s >= 100));
        Assert.Equal(fromLast.OrderBy(s => s), fromLast);
    }

    [Fact]
    public async Task A_named_consumer_resumes_after_a_restart_where_it_stopped_without_a_gap()
    {
        string offsets = StreamPlan.OffsetsQueueName(ResumeStream, nameof(ResumingStreamReader));
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [ResumeStream, offsets]);
        var options = new SubscribeOptions { StreamOffsetCommitEvery = 10, StreamOffsetCommitInterval = TimeSpan.FromMilliseconds(200) };

        var first = new ResumingStreamReader { Delay = TimeSpan.FromMilliseconds(10) };
        await using (Bus bus = await Broker.ConnectAsync("streams-resume-1"))
        {
            Subscription subscription = await bus.SubscribeAsync(first, options);
            await PublishAsync(bus, "resume", Enumerable.Range(0, 60));
            await WorkQueueTests.WaitUntilAsync(() => first.Seen.Count >= 25);
            await subscription.DisposeAsync();
            await PublishAsync(bus, "resume", Enumerable.Range(60, 40));
        }

        int handledFirst = first.Seen.Count;
        Assert.InRange(handledFirst, 25, 59);
        Assert.Equal(1u, await raw.MessageCountAsync(offsets));

        var second = new ResumingStreamReader();
        await using (Bus bus = await Broker.ConnectAsync("streams-resume-2"))
        await using (await bus.SubscribeAsync(second, options))
        {
            await WorkQueueTests.WaitUntilAsync(() => second.Seen.Any(s => s.Seq == 99));
            await Task.Delay(300);
        }

        int[] seconds = second.Seen.Select(s => s.Seq).ToArray();
        // A graceful stop commits exactly what was processed: the second run starts right after it.
        Assert.Equal(Enumerable.Range(handledFirst, 100 - handledFirst), seconds);
        Assert.Equal(Enumerable.Range(0, 100), first.Seen.Select(s => s.Seq).Concat(seconds).Distinct().OrderBy(s => s));
        Assert.Equal(first.Seen.Last().Offset + 1, second.Seen.First().Offset);
        Assert.Equal(1u, await raw.MessageCountAsync(offsets));
    }

    [Fact]
    public async Task A_consumer_killed_without_a_graceful_stop_reprocesses_at_most_the_uncommitted_batch()
    {
        (string stream, string run) = Names("crash");
        string offsets = StreamPlan.OffsetsQueueName(stream, "crash-reader");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream, offsets]);
        SubscribeOptions Options() => new()
        {
            Queue = stream,
            QueueType = QueueType.Stream,
            Bindings = [run],
            StreamOffset = StreamOffset.First,
            StreamConsumerName = "crash-reader",
            StreamOffsetCommitEvery = 10,
            StreamOffsetCommitInterval = TimeSpan.FromMinutes(10),
        };

        var seenFirst = new ConcurrentQueue<int>();
        // The first process hangs in a handler: from then on it commits nothing, as if it had died there.
        Bus stuck = await Broker.ConnectAsync("streams-crash-1", o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        try
        {
            await stuck.SubscribeAsync<StreamEvent>(
                async (m, _, ct) =>
                {
                    seenFirst.Enqueue(m.Seq);
                    if (m.Seq >= 34)
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                },
                Options());
            await PublishAsync(stuck, run, Enumerable.Range(0, 50));
            await WorkQueueTests.WaitUntilAsync(() => seenFirst.Contains(34));
            await Task.Delay(300);

            var seenSecond = new ConcurrentQueue<int>();
            await using (Bus bus = await Broker.ConnectAsync("streams-crash-2"))
            await using (await bus.SubscribeAsync<StreamEvent>((m, _, _) => { seenSecond.Enqueue(m.Seq); return default; }, Options()))
            {
                await WorkQueueTests.WaitUntilAsync(() => seenSecond.Contains(49));
            }

            int resumedAt = seenSecond.First();
            Assert.Equal(Enumerable.Range(resumedAt, 50 - resumedAt), seenSecond);
            // Nothing skipped (34 never finished in the first process); reprocessed only what came after the last
            // commit, which happens every 10 processed messages.
            Assert.InRange(resumedAt, 24, 34);
        }
        finally
        {
            await stuck.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_a_connection_recovery_the_consumer_goes_on_after_its_last_processed_offset()
    {
        (string stream, string run) = Names("recover");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream]);
        string client = $"streams-recover-{Guid.NewGuid():N}";
        await using Bus bus = await Broker.ConnectAsync(client, o => o.NetworkRecoveryInterval = TimeSpan.FromSeconds(2));
        await using Bus publisher = await Broker.ConnectAsync("streams-recover-publisher");
        var seen = new ConcurrentQueue<int>();
        // From next, untracked: the client's own recovery would consume from "next" again and miss what came meanwhile.
        await using (await bus.SubscribeAsync<StreamEvent>((m, _, _) => { seen.Enqueue(m.Seq); return default; }, On(stream, run, StreamOffset.Next)))
        {
            await Task.Delay(500);
            await PublishAsync(publisher, run, Enumerable.Range(0, 20));
            await WorkQueueTests.WaitUntilAsync(() => seen.Count == 20);

            WorkQueueTests.CloseConnection(client);
            await WorkQueueTests.WaitUntilAsync(() => !bus.IsConnected);
            await PublishAsync(publisher, run, Enumerable.Range(20, 5));
            await WorkQueueTests.WaitUntilAsync(() => bus.IsConnected);
            await Task.Delay(500);
            await PublishAsync(publisher, run, Enumerable.Range(25, 5));
            await WorkQueueTests.WaitUntilAsync(() => seen.Contains(29));
            await Task.Delay(500);
        }

        Assert.Equal(Enumerable.Range(0, 30), seen);
    }

    [Fact]
    public async Task A_failing_message_goes_to_the_error_queue_and_the_consumer_moves_on()
    {
        (string stream, string run) = Names("fail");
        string offsets = StreamPlan.OffsetsQueueName(stream, "fail-reader");
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [stream, offsets]);
        await using Bus bus = await Broker.ConnectAsync("streams-fail");
        var handled = new ConcurrentQueue<int>();
        int attempts = 0;
        SubscribeOptions options = On(stream, run, StreamOffset.First);
        options.StreamConsumerName = "fail-reader";
        options.Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10) };
        await using (await bus.SubscribeAsync<StreamEvent>(
            (m, _, _) =>
            {
                if (m.Seq == 3)
                {
                    Interlocked.Increment(ref attempts);
                    throw new InvalidOperationException("seq 3 is poison");
                }

                handled.Enqueue(m.Seq);
                return default;
            },
            options))
        {
            await PublishAsync(bus, run, Enumerable.Range(0, 8));
            await WorkQueueTests.WaitUntilAsync(() => handled.Count == 7);
            await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(ErrorQueues.NameFor(stream)) == 1);
        }

        Assert.Equal([0, 1, 2, 4, 5, 6, 7], handled);
        Assert.Equal(3, attempts);
        RabbitMQ.Client.BasicGetResult? copy = await raw.GetAsync(ErrorQueues.NameFor(stream));
        Assert.Contains("\"Seq\":3", System.Text.Encoding.UTF8.GetString(copy!.Body.Span), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("seq 3 is poison", System.Text.Encoding.UTF8.GetString((byte[])copy.BasicProperties.Headers![ErrorQueues.ExceptionMessageHeader]!));

        // The stored offset is past the failed message: a new subscription under the name has nothing left to read.
        var again = new ConcurrentQueue<int>();
        await using (await bus.SubscribeAsync<StreamEvent>((m, _, _) => { again.Enqueue(m.Seq); return default; }, options))
        {
            await Task.Delay(700);
        }

        Assert.Empty(again);
    }

    [Fact]
    public async Task Stream_settings_are_refused_on_a_queue_that_is_not_a_stream()
    {
        await using Bus bus = await Broker.ConnectAsync("streams-refused");
        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => bus.SubscribeAsync<StreamEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = "warren.test.streams.classic", Bindings = ["x"], StreamOffset = StreamOffset.First }));
        Assert.Contains("not a stream queue", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("Last")]
    [InlineData("next")]
    [InlineData("42")]
    [InlineData("2024-05-01T12:00:00Z")]
    public void Stream_offsets_read_back_what_they_write(string text)
    {
        StreamOffset offset = StreamOffset.Parse(text);
        Assert.Equal(offset, StreamOffset.Parse(offset.ToString()));
        Assert.Equal(text.ToLowerInvariant(), offset.ToString().ToLowerInvariant());
        Assert.False(StreamOffset.TryParse("beginning", out _));
        Assert.Throws<FormatException>(() => StreamOffset.Parse("-1"));
    }
}
