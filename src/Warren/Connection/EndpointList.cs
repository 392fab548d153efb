using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// The endpoints the bus connects to, for RabbitMQ.Client's connect and every automatic recovery: the hosts and ports of
/// <see cref="BusOptions.Endpoints"/> (or of <see cref="BusOptions.Uri"/> alone), in the <see cref="EndpointOrder"/>
/// asked for, with the endpoint whose connection was just lost moved last so a recovery tries the other nodes first.
/// </summary>
internal sealed class EndpointList : IEndpointResolver
{
    private readonly AmqpTcpEndpoint[] _endpoints;
    private readonly EndpointOrder _order;
    private AmqpTcpEndpoint? _lost;

    /// <param name="endpoints">The endpoints, in the listed order.</param>
    /// <param name="order">How to order them at each attempt.</param>
    public EndpointList(IReadOnlyList<AmqpTcpEndpoint> endpoints, EndpointOrder order)
    {
        _endpoints = [.. endpoints];
        _order = order;
    }

    /// <summary>The endpoints in the listed order.</summary>
    public IReadOnlyList<AmqpTcpEndpoint> Endpoints => _endpoints;

    /// <summary>The hosts and ports of <paramref name="options"/>: its <see cref="BusOptions.Endpoints"/>, else its <see cref="BusOptions.Uri"/>.</summary>
    public static IReadOnlyList<(string Host, int Port)> HostsOf(BusOptions options)
    {
        IEnumerable<Uri> uris = options.Endpoints is { Count: > 0 } endpoints ? endpoints : [options.Uri];
        bool tls = string.Equals(options.Uri.Scheme, "amqps", StringComparison.OrdinalIgnoreCase);
        return uris.Select(uri => (uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? (tls ? AmqpTcpEndpoint.DefaultAmqpSslPort : 5672) : uri.Port)).ToArray();
    }

    /// <summary>The connection to this endpoint was lost: the next attempts try it last.</summary>
    public void Lost(AmqpTcpEndpoint? endpoint)
    {
        if (_endpoints.Length > 1 && endpoint is not null)
        {
            Volatile.Write(ref _lost, _endpoints.FirstOrDefault(e => e.HostName == endpoint.HostName && e.Port == endpoint.Port));
        }
    }

    /// <inheritdoc/>
    public IEnumerable<AmqpTcpEndpoint> All()
    {
        AmqpTcpEndpoint[] order = [.. _endpoints];
        if (_order == EndpointOrder.Shuffle)
        {
            Random.Shared.Shuffle(order);
        }

        if (Volatile.Read(ref _lost) is { } lost && order.Length > 1)
        {
            order = [.. order.Where(e => !ReferenceEquals(e, lost)), lost];
        }

        return order;
    }

    /// <summary>The endpoints for logs and exceptions: <c>host1:5672, host2:5672</c>.</summary>
    public override string ToString() => string.Join(", ", _endpoints.Select(e => new BrokerNode(e.HostName, e.Port).Endpoint));
}
