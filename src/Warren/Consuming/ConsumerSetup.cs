using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// How a subscription (re)starts consuming on a channel: the first time, and again whenever the broker closed its
/// channel or cancelled its consumer.
/// </summary>
/// <param name="Prefetch">basic.qos prefetch count of the channel.</param>
/// <param name="Concurrency">How many deliveries the channel dispatches at once.</param>
/// <param name="DeclareAgain">
/// Forgets what the bus cached as declared on this connection that the queue depends on (the message's exchange or
/// queue, the RPC service queue) and declares it again: on a resume it may have been deleted.
/// </param>
/// <param name="DeclareQueue">Declares the consumed queue and its bindings on the channel and returns its name.</param>
/// <param name="CreatePump">Creates the consumer of one channel.</param>
/// <param name="Stream">For a stream queue, where the subscription is in the stream; null otherwise.</param>
internal sealed record ConsumerSetup(
    ushort Prefetch,
    ushort Concurrency,
    Func<CancellationToken, Task> DeclareAgain,
    Func<IChannel, CancellationToken, Task<string>> DeclareQueue,
    Func<IChannel, Subscription, IAsyncBasicConsumer> CreatePump,
    StreamCursor? Stream = null);
