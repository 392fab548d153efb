using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Warren.Internal;
using Warren.Runtime;
using Warren.Testing.Broker;
using Warren.Testing.Rpc;

namespace Warren.Testing;

public sealed partial class WarrenTestHarness
{
    private readonly HarnessRpcTransport _rpc;

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <paramref name="implementation"/> on its queue in the harness; clients of
    /// this harness call it as they would over the broker. Several servers share the requests in turn.
    /// </summary>
    public Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        options ??= new ServeOptions();
        OptionProblems.ThrowIfAny(nameof(ServeOptions), options.Problems());
        InMemoryBroker broker = _core.Broker;
        string queue = broker.DeclareQueue(service.Queue);
        var server = new HarnessRpcServer<TService>(_core, _rpc, service, implementation, options);
        var consumers = new List<MemoryQueue.QueueConsumer>(options.ConcurrentRequests);
        for (int i = 0; i < options.ConcurrentRequests; i++)
        {
            consumers.Add(broker.Consume(queue, server.DeliverAsync));
        }

        return Task.FromResult(Track(queue, async ct =>
        {
            foreach (MemoryQueue.QueueConsumer consumer in consumers)
            {
                await broker.CancelAsync(consumer, ct).ConfigureAwait(false);
            }
        }));
    }

    /// <summary>The generated client proxy of <typeparamref name="TService"/>, calling the servers of this harness.</summary>
    public TService CreateClient<TService>(RpcClientOptions? options = null)
        where TService : class
    {
        ThrowIfDisposed();
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        return service.CreateClient(new RpcCaller(service, _rpc, options ?? new RpcClientOptions()));
    }
}
