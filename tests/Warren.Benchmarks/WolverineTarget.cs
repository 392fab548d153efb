using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.RabbitMQ;
using Wolverine.Runtime;

namespace Warren.Benchmarks;

/// <summary>
/// WolverineFx.RabbitMQ 6.64.2 set up as its documentation shows: a host with <c>UseWolverine</c>, a conventional handler
/// class (its code compiled at start-up by WolverineFx.RuntimeCompilation, core Wolverine 6's default way), an explicit
/// publishing rule to the queue and a listener on it. To do the same work as the other two, publishing is inline (the
/// publish's task completes when the broker has confirmed it, publisher confirms and their tracking on) rather than
/// Wolverine's default in-memory buffering, whose publish completes before anything reaches the broker, and messages are
/// marked persistent (Wolverine's default is transient).
/// </summary>
internal sealed class WolverineTarget(Uri uri) : IBenchTarget
{
    public const string DisplayName = "Wolverine.RabbitMQ";

    public const string QueueName = "bench.wolverine";

    private IHost? _host;
    private IMessageBus? _bus;

    public string Name => DisplayName;

    public string Queue => QueueName;

    private IMessageBus Bus => _bus ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = WolverineHosts.Build(opts =>
        {
            opts.Discovery.IncludeType(typeof(WolverineBenchHandler));
            opts.UseRabbitMq(uri)
                .AutoProvision()
                .ConfigureChannelCreation(channel =>
                {
                    channel.PublisherConfirmationsEnabled = true;
                    channel.PublisherConfirmationTrackingEnabled = true;
                });
            opts.PublishMessage<BenchMessage>().ToRabbitQueue(QueueName).SendInline()
                // Wolverine sends delivery mode 1 (transient) by default; the others publish persistent messages. Its mapper
                // has no persistence setting, so this hooks the write of a property the benchmark leaves unset (DeliverBy,
                // the expiration) to mark every message persistent.
                .UseInterop((_, mapper) => mapper.MapOutgoingProperty(e => e.DeliverBy!, (_, properties) => properties.Persistent = true));
            opts.ListenToRabbitQueue(QueueName).PreFetchCount(Harness.Prefetch);
        });
        await _host.StartAsync(cancellationToken);
        _bus = _host.Services.GetRequiredService<IMessageBus>();
        // The listener runs only while a measurement consumes; the publish-only rounds leave the messages in the queue.
        await ListenerAsync(start: false, cancellationToken);
    }

    public ValueTask PublishAsync(BenchMessage message) => Bus.PublishAsync(message);

    public async Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken)
    {
        WolverineBenchHandler.Counter = counter;
        await ListenerAsync(start: true, cancellationToken);
        return new Listener(this);
    }

    public Task DeleteTopologyAsync(BrokerAdmin admin) => WolverineHosts.DeleteTopologyAsync(admin, QueueName);

    public ValueTask DisposeAsync() => WolverineHosts.StopAsync(_host);

    private async Task ListenerAsync(bool start, CancellationToken cancellationToken)
    {
        IEndpointCollection endpoints = (_host ?? throw new InvalidOperationException("Not started.")).Services
            .GetRequiredService<IWolverineRuntime>().Endpoints;
        Endpoint endpoint = endpoints.EndpointFor(WolverineHosts.QueueUri(QueueName))
            ?? throw new InvalidOperationException($"Wolverine has no endpoint for {QueueName}.");
        if (start)
        {
            await endpoints.StartListenerAsync(endpoint, cancellationToken);
        }
        else
        {
            await endpoints.StopListenerAsync(endpoint, cancellationToken);
        }
    }

    private sealed class Listener(WolverineTarget target) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await target.ListenerAsync(start: false, CancellationToken.None);
    }
}

/// <summary>A plain Wolverine handler, found by its name and its Handle method.</summary>
public static class WolverineBenchHandler
{
    internal static ReceiveCounter? Counter { get; set; }

    public static void Handle(BenchMessage message) => Counter?.Record(message);
}

/// <summary>What every Wolverine host of the benchmark shares: quiet logs, no scanning of this assembly.</summary>
internal static class WolverineHosts
{
    /// <summary>The dead-letter queue and exchange every Wolverine app on the broker declares.</summary>
    public const string DeadLetterQueue = "wolverine-dead-letter-queue";

    public static Uri QueueUri(string queue) => new($"rabbitmq://queue/{queue}");

    /// <summary>Deletes a target's queue and the topology every Wolverine app shares.</summary>
    public static async Task DeleteTopologyAsync(BrokerAdmin admin, string queue)
    {
        await admin.DeleteQueueAsync(queue);
        await DeleteSharedTopologyAsync(admin);
    }

    public static async ValueTask StopAsync(IHost? host)
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    public static async Task DeleteSharedTopologyAsync(BrokerAdmin admin)
    {
        await admin.DeleteQueueAsync(DeadLetterQueue);
        await admin.DeleteExchangeAsync(DeadLetterQueue);
    }

    public static IHost Build(Action<WolverineOptions> configure)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseWolverine(opts =>
        {
            // The benchmark's MassTransit consumers have Consume methods too: only the named handler types are Wolverine's.
            opts.Discovery.DisableConventionalDiscovery();
            configure(opts);
        });
        return builder.Build();
    }
}
