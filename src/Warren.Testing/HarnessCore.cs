using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using Warren.Internal;
using Warren.Runtime;
using Warren.Testing.Broker;

namespace Warren.Testing;

/// <summary>What the harness's consumers, servers and clients share: the broker, the serializer and the record of what happened.</summary>
internal sealed class HarnessCore
{
    private readonly List<object> _records = [];

    public HarnessCore(HarnessOptions options)
    {
        Options = options;
        Json = JsonDefaults.Resolve(options.Bus.JsonSerializerOptions);
        RpcJson = new RpcJson(Json);
    }

    public HarnessOptions Options { get; }

    public InMemoryBroker Broker { get; } = new();

    public JsonSerializerOptions Json { get; }

    public RpcJson RpcJson { get; }

    public int MaxMessageSize => Options.Bus.MaxMessageSize;

    public bool UseRetryDelays => Options.UseRetryDelays;

    /// <summary>Cancelled when the harness is disposed: the token handlers get.</summary>
    public CancellationTokenSource Disposing { get; } = new();

    /// <summary>Records a publish, a consumed message or an error-queue move, and wakes whoever waits for one.</summary>
    public void Record(object record)
    {
        lock (_records)
        {
            _records.Add(record);
        }

        Broker.Changed();
    }

    /// <summary>The records of one kind, in the order they happened.</summary>
    public List<T> Records<T>()
    {
        var found = new List<T>();
        lock (_records)
        {
            foreach (object record in _records)
            {
                if (record is T match)
                {
                    found.Add(match);
                }
            }
        }

        return found;
    }

    public void ClearRecords()
    {
        lock (_records)
        {
            _records.Clear();
        }
    }

    /// <summary>Declares what a message is published to: its exchange of its kind, or its queue.</summary>
    public void DeclareFor(MessageDescriptor message)
    {
        MessageDescriptor declaration = message.Declaration;
        if (declaration.Kind == ExchangeKind.Queue)
        {
            Broker.DeclareQueue(declaration.Name);
        }
        else
        {
            Broker.DeclareExchange(declaration.Name, declaration.Kind);
        }
    }
}
