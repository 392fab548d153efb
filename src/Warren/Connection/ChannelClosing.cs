using System;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>Closing the channels Warren owns, where a channel the broker or the network already closed is no error.</summary>
internal static class ChannelClosing
{
    public static async ValueTask CloseAndDisposeAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or OperationCanceledException or ObjectDisposedException)
        {
            // Already closed by the broker or the network: nothing left to close.
        }

        await channel.DisposeAsync().ConfigureAwait(false);
    }
}
