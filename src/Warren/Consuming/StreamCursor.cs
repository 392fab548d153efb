using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// Where one subscription to a stream queue is in the stream: the offset below which (inclusive) every delivery is
/// processed, the <c>x-stream-offset</c> argument each (re)consume starts from, and, for a consumer that tracks its
/// offset, the commits of that offset to its offsets queue (<see cref="StreamPlan.OffsetsQueue"/>): every
/// <see cref="StreamPlan.CommitEvery"/> processed messages, at least every <see cref="StreamPlan.CommitInterval"/> while it
/// moves, and when the subscription stops.
/// </summary>
/// <remarks>
/// The offsets queue is a durable classic queue with <c>x-max-length</c> 1 (drop-head): its only message is the last
/// committed offset, as decimal text. It is read with basic.get and given back (nack with requeue), so it stays for the
/// next reader. Commits are confirmed publishes through the bus's publisher.
/// </remarks>
internal sealed class StreamCursor
{
    /// <summary>The consume argument, and the header every stream delivery carries.</summary>
    public const string OffsetArgument = "x-stream-offset";

    private readonly StreamPlan _plan;
    private readonly IConnection _connection;
    private readonly ConfirmingPublisher _publisher;
    private readonly TopologyDeclarations _topology;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _commitDue = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _committing = new(1, 1);
    // The highest offset at or below which every delivery is processed; -1 before the first.
    private long _processed = -1;
    private long _committed = -1;
    // Deliveries below this offset were processed before (the broker starts at a chunk's start): skipped.
    private long _floor = -1;
    private int _sinceCommit;
    private Task _commitLoop = Task.CompletedTask;

    public StreamCursor(StreamPlan plan, IConnection connection, ConfirmingPublisher publisher, TopologyDeclarations topology, ILogger logger)
    {
        _plan = plan;
        _connection = connection;
        _publisher = publisher;
        _topology = topology;
        _logger = logger;
    }

    /// <summary>The plan: stream, start, name.</summary>
    public StreamPlan Plan => _plan;

    /// <summary>The offset below which (inclusive) everything is processed, or -1.</summary>
    public long Processed
    {
        get
        {
            lock (_gate)
            {
                return _processed;
            }
        }
    }

    /// <summary>
    /// Declares the offsets queue (in <see cref="DeclareMode.Declare"/>), reads the stored offset and starts the commit
    /// loop. A consumer that tracks no offset only logs where it starts.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string consumer = _plan.ConsumerName ?? "(untracked)";
        if (_plan.OffsetsQueue is not { } offsetsQueue)
        {
            Log.StreamConsumerStarting(_logger, consumer, _plan.Stream, _plan.Start.ToString(), "the offset is not tracked");
            return;
        }

        long? stored = await ReadStoredAsync(offsetsQueue, cancellationToken).ConfigureAwait(false);
        if (stored is { } offset)
        {
            lock (_gate)
            {
                _processed = offset;
                _committed = offset;
            }

            Log.StreamConsumerStarting(_logger, consumer, _plan.Stream, (offset + 1).ToString(CultureInfo.InvariantCulture), $"after the offset stored in '{offsetsQueue}'");
        }
        else
        {
            Log.StreamConsumerStarting(_logger, consumer, _plan.Stream, _plan.Start.ToString(), $"no offset stored in '{offsetsQueue}' yet");
        }

        _commitLoop = Task.Run(CommitLoopAsync, CancellationToken.None);
    }

    /// <summary>The arguments of a (re)consume: after the last processed offset when there is one, else the plan's start.</summary>
    public Dictionary<string, object?> ConsumeArguments()
    {
        lock (_gate)
        {
            object start;
            if (_processed >= 0)
            {
                _floor = _processed + 1;
                start = _floor;
            }
            else
            {
                _floor = _plan.Start.NumericOffset ?? -1;
                start = _plan.Start.ToArgument();
            }

            return new Dictionary<string, object?>(StringComparer.Ordinal) { [OffsetArgument] = start };
        }
    }

    /// <summary>True when a delivery at <paramref name="offset"/> was processed before this consume started: acked and skipped.</summary>
    public bool AlreadyProcessed(long offset)
    {
        lock (_gate)
        {
            return offset < _floor || offset <= _processed;
        }
    }

    /// <summary>The delivery tags of one channel, so that only contiguous processed deliveries move the offset.</summary>
    public Epoch NewEpoch() => new(this);

    /// <summary>Everything up to <paramref name="offset"/> is processed; <paramref name="count"/> more deliveries since the last call.</summary>
    private void Advance(long offset, int count)
    {
        bool due;
        lock (_gate)
        {
            if (offset > _processed)
            {
                _processed = offset;
            }

            _sinceCommit += count;
            due = _plan.ConsumerName is not null && _sinceCommit >= _plan.CommitEvery && _processed > _committed;
        }

        if (due && _commitDue.CurrentCount == 0)
        {
            try
            {
                _commitDue.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another completion signalled first.
            }
        }
    }

    /// <summary>Stops the commit loop and commits the last processed offset, bounded by <paramref name="cancellationToken"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_plan.OffsetsQueue is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _commitLoop.ConfigureAwait(false);
        await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CommitLoopAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _commitDue.WaitAsync(_plan.CommitInterval, stopping).ConfigureAwait(false);
                await CommitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Publishes the processed offset to the offsets queue when it moved since the last commit; a failure is logged and left to the next commit.</summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        string offsetsQueue = _plan.OffsetsQueue!;
        await _committing.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            long offset;
            lock (_gate)
            {
                offset = _processed;
                if (offset <= _committed)
                {
                    return;
                }

                _sinceCommit = 0;
            }

            byte[] body = Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture));
            try
            {
                try
                {
                    await PublishAsync(offsetsQueue, body, cancellationToken).ConfigureAwait(false);
                }
                catch (PublishReturnedException) when (_topology.Mode == DeclareMode.Declare)
                {
                    // Someone deleted the offsets queue: declare it again and store once more.
                    await DeclareAsync(offsetsQueue, cancellationToken).ConfigureAwait(false);
                    await PublishAsync(offsetsQueue, body, cancellationToken).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    _committed = Math.Max(_committed, offset);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.StreamOffsetCommitFailed(_logger, offset, _plan.ConsumerName!, offsetsQueue, ex);
            }
        }
        finally
        {
            _committing.Release();
        }
    }

    private ValueTask PublishAsync(string offsetsQueue, byte[] body, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "text/plain",
            MessageId = Guid.NewGuid().ToString(),
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Headers = new Dictionary<string, object?>(StringComparer.Ordinal) { ["x-warren-stream"] = _plan.Stream, ["x-warren-stream-consumer"] = _plan.ConsumerName },
        };
        return _publisher.PublishAsync(string.Empty, offsetsQueue, mandatory: true, properties, body, cancellationToken);
    }

    /// <summary>Declares the offsets queue now, through the bus's declarations (which otherwise declare a queue once per connection).</summary>
    private Task DeclareAsync(string offsetsQueue, CancellationToken cancellationToken)
    {
        _topology.ForgetQueue(offsetsQueue);
        return _topology.EnsureQueueDeclaredAsync(offsetsQueue, StreamPlan.OffsetsQueueSettings).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Declares the offsets queue in <see cref="DeclareMode.Declare"/> and reads its message without taking it: basic.get,
    /// then nack with requeue. Should it hold more than one (a commit raced a reader), the highest offset counts.
    /// </summary>
    private async Task<long?> ReadStoredAsync(string offsetsQueue, CancellationToken cancellationToken)
    {
        if (_topology.Mode == DeclareMode.Declare)
        {
            await DeclareAsync(offsetsQueue, cancellationToken).ConfigureAwait(false);
        }

        IChannel channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false), cancellationToken).ConfigureAwait(false);
        try
        {
            long? highest = null;
            ulong lastTag = 0;
            for (int read = 0; read < 10; read++)
            {
                BasicGetResult? result;
                try
                {
                    result = await channel.BasicGetAsync(offsetsQueue, autoAck: false, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationInterruptedException ex) when (ex.ShutdownReason is { ReplyCode: Constants.NotFound } reason)
                {
                    throw new TopologyException(
                        $"Cannot read the stored offset of stream consumer '{_plan.ConsumerName}': {reason.ReplyText}. DeclareMode.{_topology.Mode} declares nothing: " +
                        $"declare '{offsetsQueue}' as a durable classic queue with x-max-length 1 (or use DeclareMode.Declare, or SubscribeOptions.TrackStreamOffset = false).",
                        reason.ReplyCode, ex);
                }

                if (result is null)
                {
                    break;
                }

                lastTag = result.DeliveryTag;
                string text = Encoding.UTF8.GetString(result.Body.Span);
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long offset))
                {
                    highest = Math.Max(highest ?? -1, offset);
                }
                else
                {
                    Log.StreamOffsetUnreadable(_logger, offsetsQueue, text.Length > 64 ? text[..64] : text, _plan.ConsumerName!, _plan.Start.ToString());
                }

                if (result.MessageCount == 0)
                {
                    break;
                }
            }

            if (lastTag > 0)
            {
                await channel.BasicNackAsync(lastTag, multiple: true, requeue: true, cancellationToken).ConfigureAwait(false);
            }

            return highest;
        }
        finally
        {
            await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The deliveries of one consumer on one channel, by delivery tag: tags are contiguous on a channel (RabbitMQ.Client
    /// keeps them so across a connection recovery), so the highest tag below which all are done names the offset below
    /// which everything is processed, whatever order concurrent handlers finish in. A delivery never done (its handler
    /// was cancelled by shutdown) stops the offset there.
    /// </summary>
    public sealed class Epoch
    {
        private readonly StreamCursor _cursor;
        private readonly Dictionary<ulong, long> _offsets = [];
        private readonly HashSet<ulong> _done = [];
        private ulong _watermark;

        internal Epoch(StreamCursor cursor) => _cursor = cursor;

        /// <summary>The delivery <paramref name="tag"/> carries <paramref name="offset"/> (-1 when it had none).</summary>
        public void Delivered(ulong tag, long offset)
        {
            lock (_offsets)
            {
                _offsets[tag] = offset;
            }
        }

        /// <summary>The delivery <paramref name="tag"/> is processed (handled, or moved to the error queue, or skipped).</summary>
        public void Completed(ulong tag)
        {
            long offset = -1;
            int count = 0;
            lock (_offsets)
            {
                _done.Add(tag);
                while (_done.Remove(_watermark + 1))
                {
                    _watermark++;
                    count++;
                    if (_offsets.Remove(_watermark, out long at) && at >= 0)
                    {
                        offset = at;
                    }
                }
            }

            if (count > 0)
            {
                _cursor.Advance(offset, count);
            }
        }
    }
}
