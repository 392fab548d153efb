using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>What an RPC server calls for each request: one implementation for all (<see cref="Bus.ServeAsync{TService}"/>), or one per request from a DI scope.</summary>
internal abstract class RpcTarget<TService>
    where TService : class
{
    /// <summary>Calls method <paramref name="method"/> on an implementation and writes its result to <paramref name="reply"/>.</summary>
    public abstract ValueTask DispatchAsync(RpcServiceDescriptor<TService> service, int method, RpcRequest request, Utf8JsonWriter reply, CancellationToken cancellationToken);
}

/// <summary>The same implementation for every request.</summary>
internal sealed class SingleInstanceTarget<TService>(TService implementation) : RpcTarget<TService>
    where TService : class
{
    public override ValueTask DispatchAsync(RpcServiceDescriptor<TService> service, int method, RpcRequest request, Utf8JsonWriter reply, CancellationToken cancellationToken) =>
        service.DispatchAsync(implementation, method, request, reply, cancellationToken);
}
