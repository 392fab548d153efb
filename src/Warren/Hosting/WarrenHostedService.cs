using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warren.Internal;

namespace Warren.Hosting;

/// <summary>
/// Warren in the host's life: at start, connects the bus (with its back-off, for as long as the host's start allows) and
/// starts every consumer and RPC server added to the services; at stop, stops them all at once, each letting the handlers
/// in flight finish until the host's shutdown timeout cancels the stop token; then their messages go back to the queue.
/// The connection stays open until the service provider is disposed, for whatever else publishes while the host stops.
/// </summary>
internal sealed class WarrenHostedService(HostedBus bus, WarrenSetup setup, IServiceProvider services, ILoggerFactory? loggers = null) : IHostedService
{
    private readonly ILogger _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger(LogCategories.Hosting);
    private readonly List<Subscription> _running = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Bus connected = await bus.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (connected.Options.DeclareMode == DeclareMode.Verify && setup.Endpoints.Count > 0)
            {
                // Every endpoint's exchanges and queues at once, before any starts: one error lists every difference.
                await connected.VerifyAsync(
                    "the host's consumers and RPC servers", setup.Endpoints.SelectMany(endpoint => endpoint.Expectations(connected, services)), cancellationToken)
                    .ConfigureAwait(false);
            }

            foreach (HostedEndpoint endpoint in setup.Endpoints)
            {
                Subscription subscription = await endpoint.StartAsync(connected, services, cancellationToken).ConfigureAwait(false);
                _running.Add(subscription);
                Log.HostedStarted(_logger, endpoint.ToString()!, subscription.Queue);
            }
        }
        catch (Exception ex)
        {
            // The host does not call StopAsync for a service whose start failed: stop what did start.
            bus.StartFailed(ex);
            await StopRunningAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // Only now do publishes and calls made while the host started go out: the consumers' queues exist.
        bus.Started();
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopRunningAsync(cancellationToken);

    private async Task StopRunningAsync(CancellationToken cancellationToken)
    {
        Subscription[] running = [.. _running];
        _running.Clear();
        if (running.Length == 0)
        {
            return;
        }

        await Task.WhenAll(running.Select(subscription => subscription.StopAsync(cancellationToken))).ConfigureAwait(false);
        Log.HostedStopped(_logger, running.Length);
    }
}
