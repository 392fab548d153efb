using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Hosting;

/// <summary>
/// What <c>AddWarren</c> set up in one service collection: the configuration section it reads, and every consumer, RPC
/// server and RPC client added to it, each once. Registered as a singleton instance, so that later calls on the same
/// services (another <c>AddWarren</c>, a generated <c>AddWarrenConsumers()</c>) find it.
/// </summary>
internal sealed class WarrenSetup
{
    private readonly List<HostedEndpoint> _endpoints = [];
    private readonly HashSet<string> _clients = new(StringComparer.Ordinal);

    /// <summary>Warren's configuration section, when <c>AddWarren(IConfiguration)</c> gave one.</summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary>The consumers and RPC servers the hosted service starts, in the order they were added.</summary>
    public IReadOnlyList<HostedEndpoint> Endpoints => _endpoints;

    /// <summary>The options names of the RPC clients added.</summary>
    public IReadOnlyCollection<string> Clients => _clients;

    /// <summary>Adds an endpoint unless one for the same types is there already; false when it was.</summary>
    public bool TryAdd(HostedEndpoint endpoint)
    {
        foreach (HostedEndpoint existing in _endpoints)
        {
            if (existing.Key == endpoint.Key)
            {
                return false;
            }
        }

        _endpoints.Add(endpoint);
        return true;
    }

    public bool TryAddClient(string name) => _clients.Add(name);

    /// <summary>The endpoint whose options have this name in this configuration section (<see cref="OptionsBinding.Consumers"/> or <see cref="OptionsBinding.RpcServers"/>).</summary>
    public HostedEndpoint? Find(string section, string name)
    {
        foreach (HostedEndpoint endpoint in _endpoints)
        {
            if (endpoint.Section == section && string.Equals(endpoint.Name, name, StringComparison.Ordinal))
            {
                return endpoint;
            }
        }

        return null;
    }
}

/// <summary>A subscription the hosted service starts: a consumer, or an RPC server.</summary>
internal abstract class HostedEndpoint
{
    /// <param name="section">Where its options live in Warren's configuration section.</param>
    /// <param name="name">The name of its options, and of its configuration section: the consumer class's or the RPC interface's name.</param>
    /// <param name="key">What makes it unique: its types.</param>
    protected HostedEndpoint(string section, string name, string key)
    {
        Section = section;
        Name = name;
        Key = key;
    }

    public string Section { get; }

    public string Name { get; }

    public string Key { get; }

    /// <summary>Starts it on the connected bus, with handlers resolved from DI scopes.</summary>
    public abstract Task<Subscription> StartAsync(Bus bus, IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>The exchanges and queues it uses, which <see cref="DeclareMode.Verify"/> checks for all endpoints before starting any.</summary>
    public abstract IEnumerable<TopologyExpectation> Expectations(Bus bus, IServiceProvider services);

    /// <summary>For a consumer: what its subscription options ask that its message cannot do, or null.</summary>
    public virtual string? CheckSubscription(SubscribeOptions options) => null;
}

/// <summary>A consumer class added with <c>AddConsumer</c>: one subscription, a DI scope per message.</summary>
internal sealed class HostedConsumer<TConsumer>(ConsumerDescriptor<TConsumer> descriptor)
    : HostedEndpoint(OptionsBinding.Consumers, typeof(TConsumer).Name, "consumer " + typeof(TConsumer).FullName)
    where TConsumer : class
{
    public override Task<Subscription> StartAsync(Bus bus, IServiceProvider services, CancellationToken cancellationToken)
    {
        SubscribeOptions options = services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(Name);
        return descriptor.SubscribeScopedAsync(bus, services.GetRequiredService<IServiceScopeFactory>(), options, cancellationToken);
    }

    public override IEnumerable<TopologyExpectation> Expectations(Bus bus, IServiceProvider services)
    {
        SubscriptionPlan plan = descriptor.Plan(services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(Name), bus.Options.Prefetch);
        return TopologyExpectation.ForSubscription(descriptor.Message, plan, plan.ErrorQueueFor(descriptor.Message));
    }

    public override string? CheckSubscription(SubscribeOptions options)
    {
        try
        {
            descriptor.Plan(options, defaultPrefetch: 1);
            return null;
        }
        catch (ArgumentException ex)
        {
            return SettingsReader.ReasonOf(ex);
        }
    }

    public override string ToString() => $"consumer {typeof(TConsumer).Name}";
}

/// <summary>An RPC implementation added with <c>AddRpcServer</c>: one server, a DI scope per request.</summary>
internal sealed class HostedRpcServer<TService, TImplementation>()
    : HostedEndpoint(OptionsBinding.RpcServers, typeof(TService).Name, $"server {typeof(TService).FullName} {typeof(TImplementation).FullName}")
    where TService : class
    where TImplementation : class, TService
{
    public override Task<Subscription> StartAsync(Bus bus, IServiceProvider services, CancellationToken cancellationToken)
    {
        ServeOptions options = services.GetRequiredService<IOptionsMonitor<ServeOptions>>().Get(Name);
        var target = new ScopedRpcTarget<TService, TImplementation>(services.GetRequiredService<IServiceScopeFactory>());
        return bus.ServeCoreAsync(target, options, cancellationToken);
    }

    public override IEnumerable<TopologyExpectation> Expectations(Bus bus, IServiceProvider services)
    {
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        return TopologyExpectation.QueueWithDeadLetters(service.Queue, service.QueueSettings);
    }

    public override string ToString() => $"RPC server {typeof(TImplementation).Name} of {typeof(TService).Name}";
}
