using System;
using System.Collections.Generic;

namespace Warren.Testing.Routing;

/// <summary>An exchange of the in-process broker: its kind and bindings, and where a message goes.</summary>
internal sealed class MemoryExchange(string name, ExchangeKind kind)
{
    private readonly List<Binding> _bindings = [];

    public string Name { get; } = name;

    public ExchangeKind Kind { get; } = kind;

    /// <summary>Binds a queue; binding it again with the same key and arguments changes nothing, as on the broker.</summary>
    public void Bind(string queue, string routingKey, HeadersBinding? headers)
    {
        var binding = new Binding(queue, Kind == ExchangeKind.Fanout ? string.Empty : routingKey, Kind == ExchangeKind.Headers ? headers : null);
        foreach (Binding existing in _bindings)
        {
            if (existing.SameAs(binding))
            {
                return;
            }
        }

        _bindings.Add(binding);
    }

    public void Unbind(string queue) => _bindings.RemoveAll(b => string.Equals(b.Queue, queue, StringComparison.Ordinal));

    /// <summary>Adds each queue the message reaches once, in binding order.</summary>
    public void Route(Envelope envelope, List<string> reached)
    {
        foreach (Binding binding in _bindings)
        {
            if (!reached.Contains(binding.Queue) && Matches(binding, envelope))
            {
                reached.Add(binding.Queue);
            }
        }
    }

    private bool Matches(Binding binding, Envelope envelope) => Kind switch
    {
        ExchangeKind.Fanout => true,
        ExchangeKind.Direct => string.Equals(binding.RoutingKey, envelope.RoutingKey, StringComparison.Ordinal),
        ExchangeKind.Topic => TopicMatcher.Matches(binding.RoutingKey, envelope.RoutingKey),
        ExchangeKind.Headers => binding.Headers is not null && HeadersMatcher.Matches(binding.Headers, envelope.Properties.Headers),
        _ => false,
    };

    private sealed record Binding(string Queue, string RoutingKey, HeadersBinding? Headers)
    {
        public bool SameAs(Binding other)
        {
            if (!string.Equals(Queue, other.Queue, StringComparison.Ordinal) || !string.Equals(RoutingKey, other.RoutingKey, StringComparison.Ordinal))
            {
                return false;
            }

            if (Headers is null || other.Headers is null)
            {
                return Headers is null && other.Headers is null;
            }

            if (Headers.Match != other.Headers.Match || Headers.Headers.Count != other.Headers.Headers.Count)
            {
                return false;
            }

            foreach (KeyValuePair<string, string> header in Headers.Headers)
            {
                if (!other.Headers.Headers.TryGetValue(header.Key, out string? value) || value != header.Value)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
