using System;
using System.Threading;
using System.Threading.Tasks;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Warren.Benchmarks;

/// <summary>
/// MassTransit.RabbitMQ 8.5.12's request/response as its documentation shows it: AddMassTransit with a consumer that
/// responds, served on a receive endpoint, and a request client that sends to it. Replies come back through MassTransit's
/// default: the bus endpoint, a temporary (exclusive, auto-delete) queue per bus, matched by request id. Set up to do
/// the same work as the other two: no publisher confirms and a non-durable queue. MassTransit still marks its requests
/// persistent, but in a non-durable queue the broker keeps them in memory just the same.
/// </summary>
internal sealed class MassTransitRpcTarget(Uri uri) : IRpcTarget
{
    public const string QueueName = "bench.rpc.masstransit";

    private ServiceProvider? _services;
    private IBusControl? _bus;
    private IRequestClient<FibRequest>? _client;

    public string Name => MassTransitTarget.DisplayName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<FibConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                (string user, string password) = MassTransitTarget.Credentials(uri);
                string virtualHost = uri.AbsolutePath.Length > 1 ? Uri.UnescapeDataString(uri.AbsolutePath[1..]) : "/";
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, "masstransit-rpc-benchmarks", host =>
                {
                    host.Username(user);
                    host.Password(password);
                    // Requests and replies go out unconfirmed, as the hand-written pair's and Warren's do.
                    host.PublisherConfirmation = false;
                });
                rabbit.ReceiveEndpoint(QueueName, endpoint =>
                {
                    // A non-durable queue (and exchange), like the other two's: nothing of a request touches the disk.
                    endpoint.Durable = false;
                    // MassTransit's concurrency limit follows the prefetch: up to P requests are handled at once.
                    endpoint.PrefetchCount = RpcHarness.ServerPrefetch;
                    endpoint.ConfigureConsumer<FibConsumer>(context);
                });
            });
        });
        _services = services.BuildServiceProvider();
        _bus = _services.GetRequiredService<IBusControl>();
        await _bus.StartAsync(cancellationToken);
        // The address carries durable=false so that the client's declaration of the exchange matches the endpoint's.
        _client = _bus.CreateRequestClient<FibRequest>(new Uri($"queue:{QueueName}?durable=false"));
    }

    public async Task<long> CallAsync(int n)
    {
        IRequestClient<FibRequest> client = _client ?? throw new InvalidOperationException("Not started.");
        Response<FibResult> response = await client.GetResponse<FibResult>(new FibRequest(n));
        return response.Message.Value;
    }

    public async Task DeleteTopologyAsync(BrokerAdmin admin)
    {
        await admin.DeleteQueueAsync(QueueName);
        await admin.DeleteExchangeAsync(QueueName);
        // The consumer's message type gets its own exchange, bound to the endpoint's: "Namespace:TypeName".
        await admin.DeleteExchangeAsync($"{typeof(FibRequest).Namespace}:{nameof(FibRequest)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}

/// <summary>MassTransit's request: a message contract wrapping the argument.</summary>
public sealed record FibRequest(int N);

/// <summary>MassTransit's response.</summary>
public sealed record FibResult(long Value);

/// <summary>The MassTransit server: a consumer that responds; the container creates one per request.</summary>
public sealed class FibConsumer : MassTransit.IConsumer<FibRequest>
{
    public Task Consume(ConsumeContext<FibRequest> context) => context.RespondAsync(new FibResult(Fibonacci.Compute(context.Message.N)));
}
