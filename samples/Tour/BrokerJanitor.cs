using System;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Warren.Samples.Tour;

/// <summary>
/// Deletes the tutorials' named queues and exchanges over a plain RabbitMQ.Client connection: Warren declares what it
/// uses but never deletes anything. Disposing it deletes them once more, so the broker is left as it was found.
/// </summary>
internal sealed class BrokerJanitor : IAsyncDisposable
{
    private readonly IConnection _connection;

    private BrokerJanitor(IConnection connection) => _connection = connection;

    public static async Task<BrokerJanitor> ConnectAsync(Uri uri) =>
        new(await new ConnectionFactory { Uri = uri, ClientProvidedName = "warren-tour-janitor" }.CreateConnectionAsync());

    /// <summary>Deletes every queue and exchange of <see cref="TutorialTopology"/> and their error queues; deleting one that does not exist is fine.</summary>
    public async Task DeleteTutorialTopologyAsync()
    {
        await using IChannel channel = await _connection.CreateChannelAsync();
        foreach (string queue in TutorialTopology.Queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync(ErrorQueues.NameFor(queue), ifUnused: false, ifEmpty: false);
        }

        foreach (string exchange in TutorialTopology.Exchanges)
        {
            // Failures of the server-named queues bound to an exchange go to the exchange's error queue.
            await channel.QueueDeleteAsync(ErrorQueues.NameFor(exchange), ifUnused: false, ifEmpty: false);
        }

        foreach (string exchange in TutorialTopology.Exchanges)
        {
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteTutorialTopologyAsync();
        }
        finally
        {
            await _connection.CloseAsync();
            _connection.Dispose();
        }
    }
}
