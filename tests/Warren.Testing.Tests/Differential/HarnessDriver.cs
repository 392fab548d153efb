using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Warren.Testing.Tests.Differential;

/// <summary>Runs a scenario on <see cref="WarrenTestHarness"/>: no broker.</summary>
public sealed class HarnessDriver(string prefix) : ScenarioDriver(prefix)
{
    private readonly WarrenTestHarness _harness = new();

    public WarrenTestHarness Harness => _harness;

    protected override IBus Bus => _harness;

    public override Task PublishRawAsync(string exchange, string routingKey, byte[] body, BasicProperties properties)
    {
        _harness.PublishRaw(exchange, routingKey, body, properties);
        return Task.CompletedTask;
    }

    public override Task SettleAsync(Outcome? expected) => _harness.DrainAsync(TimeSpan.FromSeconds(30));

    protected override Task<IReadOnlyList<(IDictionary<string, object?>? Headers, ReadOnlyMemory<byte> Body)>> ReadErrorQueueAsync(string queue) =>
        Task.FromResult<IReadOnlyList<(IDictionary<string, object?>?, ReadOnlyMemory<byte>)>>(
            _harness.QueueContents(queue).Select(e => (e.Properties.Headers, e.Body)).ToList());

    public override ValueTask DisposeAsync() => _harness.DisposeAsync();
}
