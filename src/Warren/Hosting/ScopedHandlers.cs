using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Hosting;

/// <summary>
/// A hosted consumer: for every call (each delivery, and each retry of it) a new DI scope, the consumer resolved from it
/// with its constructor dependencies, and the scope disposed when the handler is done, so that scoped services such as a
/// DbContext live for one message.
/// </summary>
internal sealed class ScopedConsumer<TConsumer, TMessage>(IServiceScopeFactory scopes)
    : IConsumer<TMessage>
    where TConsumer : class, IConsumer<TMessage>
{
    public async ValueTask HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        try
        {
            TConsumer consumer = scope.ServiceProvider.GetRequiredService<TConsumer>();
            await consumer.HandleAsync(message, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A hosted RPC server's target: for every request a new DI scope and the implementation resolved from it.</summary>
internal sealed class ScopedRpcTarget<TService, TImplementation>(IServiceScopeFactory scopes)
    : RpcTarget<TService>
    where TService : class
    where TImplementation : class, TService
{
    public override async ValueTask DispatchAsync(
        RpcServiceDescriptor<TService> service, int method, RpcRequest request, Utf8JsonWriter reply, CancellationToken cancellationToken)
    {
        AsyncServiceScope scope = scopes.CreateAsyncScope();
        try
        {
            TImplementation implementation = scope.ServiceProvider.GetRequiredService<TImplementation>();
            await service.DispatchAsync(implementation, method, request, reply, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
    }
}
