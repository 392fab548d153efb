using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Warren.Benchmarks;

/// <summary>
/// WolverineFx.RabbitMQ 6.64.2's request/reply: <c>IDestinationEndpoint.InvokeAsync&lt;T&gt;</c> sends the request to the
/// service queue and waits for the handler's return value, which Wolverine sends back to the node's own reply queue
/// (declared at start-up) matched by conversation id. The call names the endpoint because the handler lives in the same
/// host: a plain <c>bus.InvokeAsync&lt;T&gt;</c> would run it in memory without the broker. Requests go unconfirmed to a
/// non-durable queue, as the other two's do.
/// </summary>
internal sealed class WolverineRpcTarget(Uri uri) : IRpcTarget
{
    public const string QueueName = "bench.rpc.wolverine";

    private IHost? _host;
    private IDestinationEndpoint? _endpoint;

    public string Name => WolverineTarget.DisplayName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _host = WolverineHosts.Build(opts =>
        {
            opts.Discovery.IncludeType(typeof(WolverineFibHandler));
            opts.UseRabbitMq(uri).AutoProvision();
            opts.ListenToRabbitQueue(QueueName, queue => queue.IsDurable = false).PreFetchCount(RpcHarness.ServerPrefetch);
        });
        await _host.StartAsync(cancellationToken);
        _endpoint = _host.Services.GetRequiredService<IMessageBus>().EndpointFor(WolverineHosts.QueueUri(QueueName));
    }

    public async Task<long> CallAsync(int n)
    {
        IDestinationEndpoint endpoint = _endpoint ?? throw new InvalidOperationException("Not started.");
        WolverineFibResult result = await endpoint.InvokeAsync<WolverineFibResult>(new WolverineFibRequest(n));
        return result.Value;
    }

    public Task DeleteTopologyAsync(BrokerAdmin admin) => WolverineHosts.DeleteTopologyAsync(admin, QueueName);

    public ValueTask DisposeAsync() => WolverineHosts.StopAsync(_host);
}

/// <summary>Wolverine's request.</summary>
public sealed record WolverineFibRequest(int N);

/// <summary>Wolverine's reply: the handler's return value.</summary>
public sealed record WolverineFibResult(long Value);

/// <summary>The Wolverine server: a handler whose return value is the reply.</summary>
public static class WolverineFibHandler
{
    public static WolverineFibResult Handle(WolverineFibRequest request) => new(Fibonacci.Compute(request.N));
}
