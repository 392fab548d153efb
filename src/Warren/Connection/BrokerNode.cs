using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Warren;

/// <summary>In which order the bus tries the nodes of <see cref="BusOptions.Endpoints"/>, on connect and on every recovery.</summary>
public enum EndpointOrder
{
    /// <summary>
    /// A fresh random order at every attempt, so that many applications spread their connections over the cluster.
    /// The default, as in RabbitMQ.Client.
    /// </summary>
    Shuffle = 0,

    /// <summary>The listed order at every attempt: the first node that answers wins (a preferred node, then fall-backs).</summary>
    InOrder = 1,
}

/// <summary>
/// The broker node a <see cref="Bus"/> is connected to (<see cref="Bus.ConnectedNode"/>), or that a connection event is
/// about: the endpoint it reached, and what the broker said of itself when the connection opened.
/// </summary>
public sealed class BrokerNode
{
    /// <summary>Creates the description of a node.</summary>
    public BrokerNode(string host, int port, string? clusterName = null, string? version = null)
    {
        Host = host;
        Port = port;
        ClusterName = clusterName;
        Version = version;
    }

    /// <summary>The host name or address connected to, as the endpoint names it.</summary>
    public string Host { get; }

    /// <summary>The AMQP port connected to.</summary>
    public int Port { get; }

    /// <summary>
    /// The broker's <c>cluster_name</c> server property: the same on every node of one cluster (by default the name
    /// of its first node), so it tells clusters apart, not nodes. Null when the broker did not send it.
    /// </summary>
    public string? ClusterName { get; }

    /// <summary>The broker's version (<c>version</c> server property), e.g. <c>3.10.8</c>; null when not sent.</summary>
    public string? Version { get; }

    /// <summary><c>host:port</c>, the endpoint that tells the nodes of a cluster apart.</summary>
    public string Endpoint => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary><c>host:port</c>, then the cluster name and version when the broker sent them.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Endpoint);
        if (ClusterName is not null || Version is not null)
        {
            text.Append(" (");
            if (ClusterName is not null)
            {
                text.Append("cluster ").Append(ClusterName);
            }

            if (Version is not null)
            {
                text.Append(ClusterName is null ? string.Empty : ", ").Append("RabbitMQ ").Append(Version);
            }

            text.Append(')');
        }

        return text.ToString();
    }

    /// <summary>The node an open connection reached; null when the connection has no endpoint.</summary>
    internal static BrokerNode? Of(IConnection connection)
    {
        AmqpTcpEndpoint? endpoint = connection.Endpoint;
        if (endpoint is null)
        {
            return null;
        }

        IDictionary<string, object?>? properties = connection.ServerProperties;
        return new BrokerNode(endpoint.HostName, endpoint.Port, Text(properties, "cluster_name"), Text(properties, "version"));
    }

    private static string? Text(IDictionary<string, object?>? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out object? value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => null,
            }
            : null;
}
