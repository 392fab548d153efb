using System;
using System.Threading;
using System.Threading.Tasks;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Warren.Benchmarks;

/// <summary>
/// MassTransit.RabbitMQ 8.5.12 configured as its documentation shows for a console app: AddMassTransit with a DI-resolved
/// consumer, started by hand. Its defaults already match the other two: publisher confirms on, durable queue and
/// exchanges, persistent messages, no outbox.
/// </summary>
internal sealed class MassTransitTarget(Uri uri) : IBenchTarget
{
    public const string DisplayName = "MassTransit.RabbitMQ";

    public const string QueueName = "bench.masstransit";

    private readonly CurrentCounter _current = new();
    private ServiceProvider? _services;
    private IBusControl? _bus;

    public string Name => DisplayName;

    public string Queue => QueueName;

    private IBusControl Bus => _bus ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_current);
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<BenchConsumer>();
            bus.UsingRabbitMq((_, rabbit) =>
            {
                (string user, string password) = Credentials(uri);
                string virtualHost = uri.AbsolutePath.Length > 1 ? Uri.UnescapeDataString(uri.AbsolutePath[1..]) : "/";
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, "masstransit-benchmarks", host =>
                {
                    host.Username(user);
                    host.Password(password);
                    host.PublisherConfirmation = true;
                });
                rabbit.PrefetchCount = Harness.Prefetch;
            });
        });
        _services = services.BuildServiceProvider();
        _bus = _services.GetRequiredService<IBusControl>();
        await _bus.StartAsync(cancellationToken);

        // Run the endpoint once so that its queue, its exchange and the message type's exchange exist and are bound
        // before the first publish-only round (which has no consumer).
        IAsyncDisposable endpoint = await ConnectEndpointAsync(cancellationToken);
        await endpoint.DisposeAsync();
    }

    public ValueTask PublishAsync(BenchMessage message) => new(Bus.Publish(message));

    public async Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken)
    {
        _current.Counter = counter;
        return await ConnectEndpointAsync(cancellationToken);
    }

    public async Task DeleteTopologyAsync(BrokerAdmin admin)
    {
        await admin.DeleteQueueAsync(QueueName);
        await admin.DeleteExchangeAsync(QueueName);
        // MassTransit names the publish exchange after the message type: "Namespace:TypeName".
        await admin.DeleteExchangeAsync($"{typeof(BenchMessage).Namespace}:{nameof(BenchMessage)}");
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

    private async Task<IAsyncDisposable> ConnectEndpointAsync(CancellationToken cancellationToken)
    {
        var connector = (_services ?? throw new InvalidOperationException("Not started.")).GetRequiredService<IReceiveEndpointConnector>();
        HostReceiveEndpointHandle handle = connector.ConnectReceiveEndpoint(QueueName, (context, endpoint) =>
        {
            endpoint.PrefetchCount = Harness.Prefetch;
            endpoint.ConfigureConsumer<BenchConsumer>(context);
        });
        await handle.Ready.WaitAsync(cancellationToken);
        return new Endpoint(handle);
    }

    public static (string User, string Password) Credentials(Uri uri)
    {
        string[] parts = uri.UserInfo.Split(':', 2);
        return parts.Length == 2
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }

    private sealed class Endpoint(HostReceiveEndpointHandle handle) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await handle.StopAsync();
    }
}

/// <summary>Where the DI-created consumers find the counter of the current round.</summary>
public sealed class CurrentCounter
{
    internal ReceiveCounter? Counter { get; set; }
}

/// <summary>A plain MassTransit consumer; the container creates one per message, as it does in applications.</summary>
public sealed class BenchConsumer(CurrentCounter current) : MassTransit.IConsumer<BenchMessage>
{
    public Task Consume(ConsumeContext<BenchMessage> context)
    {
        current.Counter?.Record(context.Message);
        return Task.CompletedTask;
    }
}
