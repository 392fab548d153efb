using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Warren;
using Warren.Hosting;
using Warren.Runtime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Warren in a host built on Microsoft.Extensions.Hosting: the bus as <see cref="IBus"/>/<see cref="IPublisher"/>, its
/// options from code or configuration (validated when the host starts), and a hosted service that connects at start and
/// runs the consumers and RPC servers added here, each handler resolved from a new DI scope per message.
/// </summary>
public static class WarrenServiceCollectionExtensions
{
    /// <summary>
    /// Adds Warren: <see cref="IBus"/> and <see cref="IPublisher"/> as singletons, <see cref="BusOptions"/> through
    /// <c>IOptions</c>, and the hosted service. The logger factory defaults to the host's. Add consumers and RPC services
    /// to the builder it returns, most simply with the generated <c>AddWarrenConsumers()</c> and <c>AddWarrenRpcServices()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    public static IWarrenBuilder AddWarren(this IServiceCollection services, Action<BusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = SetupFor(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new WarrenBuilder(services);
    }

    /// <summary>
    /// Adds Warren (see <see cref="AddWarren(IServiceCollection, Action{BusOptions}?)"/>) with its options read from a
    /// configuration section, typically <c>builder.Configuration.GetSection("Warren")</c>: the <see cref="BusOptions"/>
    /// settings (durations as <c>hh:mm:ss</c>, <c>Retry</c> as a nested section), and per-name sections
    /// <c>Consumers:&lt;class name&gt;</c> (<see cref="SubscribeOptions"/>), <c>RpcServers:&lt;interface name&gt;</c>
    /// (<see cref="ServeOptions"/>) and <c>RpcClients:&lt;interface name&gt;</c> (<see cref="RpcClientOptions"/>). A key
    /// Warren does not know, or a value it cannot use, fails the host's start with an error naming it.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">Warren's configuration section.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    public static IWarrenBuilder AddWarren(this IServiceCollection services, IConfiguration configuration, Action<BusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IWarrenBuilder builder = services.AddWarren();
        SetupFor(services).Configuration = configuration;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Adds a <see cref="ConsumerAttribute"/> class: the host subscribes it at start and resolves it, with its constructor
    /// dependencies, from a new DI scope for every message (registered scoped unless the application registered it
    /// already). Its options come from configuration (<c>Consumers:&lt;class name&gt;</c>), then <paramref name="configure"/>.
    /// Adding one consumer twice adds it once.
    /// </summary>
    /// <exception cref="MessageNotRegisteredException"><typeparamref name="TConsumer"/> is not a <c>[Consumer]</c> class the generator knows.</exception>
    public static IWarrenBuilder AddConsumer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TConsumer>(
        this IWarrenBuilder builder, Action<SubscribeOptions>? configure = null)
        where TConsumer : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        var endpoint = new HostedConsumer<TConsumer>(WarrenRegistry.Consumer<TConsumer>());
        if (TryAdd(builder.Services, endpoint))
        {
            builder.Services.TryAddScoped<TConsumer>();
            AddNamedOptions<SubscribeOptions>(builder.Services, OptionsBinding.Consumers, endpoint.Name, OptionsBinding.Bind);
        }

        if (configure is not null)
        {
            builder.Services.Configure(endpoint.Name, configure);
        }

        return builder;
    }

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <typeparamref name="TImplementation"/>: the host starts the server at start
    /// and resolves the implementation from a new DI scope for every request (registered scoped, by its class, unless the
    /// application registered it already). Its options come from configuration (<c>RpcServers:&lt;interface name&gt;</c>),
    /// then <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MessageNotRegisteredException"><typeparamref name="TService"/> is not an <c>[RpcService]</c> interface the generator knows.</exception>
    public static IWarrenBuilder AddRpcServer<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(
        this IWarrenBuilder builder, Action<ServeOptions>? configure = null)
        where TService : class
        where TImplementation : class, TService
    {
        ArgumentNullException.ThrowIfNull(builder);
        WarrenRegistry.RpcService<TService>();
        var endpoint = new HostedRpcServer<TService, TImplementation>();
        if (TryAdd(builder.Services, endpoint))
        {
            builder.Services.TryAddScoped<TImplementation>();
            AddNamedOptions<ServeOptions>(builder.Services, OptionsBinding.RpcServers, endpoint.Name, OptionsBinding.Bind);
        }

        if (configure is not null)
        {
            builder.Services.Configure(endpoint.Name, configure);
        }

        return builder;
    }

    /// <summary>
    /// Registers the generated client of <typeparamref name="TService"/> as a singleton <typeparamref name="TService"/>, unless
    /// the application registered that interface already: inject the interface to call the service. A client resolved
    /// before the bus connected waits for the connection on its first call. Its options come from configuration
    /// (<c>RpcClients:&lt;interface name&gt;</c>), then <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="MessageNotRegisteredException"><typeparamref name="TService"/> is not an <c>[RpcService]</c> interface the generator knows.</exception>
    public static IWarrenBuilder AddRpcClient<TService>(this IWarrenBuilder builder, Action<RpcClientOptions>? configure = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        WarrenRegistry.RpcService<TService>();
        string name = typeof(TService).Name;
        WarrenSetup setup = SetupFor(builder.Services);
        if (setup.TryAddClient(name))
        {
            builder.Services.TryAddSingleton<TService>(services =>
                services.GetRequiredService<HostedBus>().CreateClient<TService>(services.GetRequiredService<IOptionsMonitor<RpcClientOptions>>().Get(name)));
            AddNamedOptions<RpcClientOptions>(builder.Services, OptionsBinding.RpcClients, name, OptionsBinding.Bind);
        }

        if (configure is not null)
        {
            builder.Services.Configure(name, configure);
        }

        return builder;
    }

    /// <summary>What <c>AddWarren</c> set up in these services; set up now if nothing was.</summary>
    private static WarrenSetup SetupFor(IServiceCollection services)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == typeof(WarrenSetup) && descriptor.ImplementationInstance is WarrenSetup existing)
            {
                return existing;
            }
        }

        return Setup(services);
    }

    /// <summary>The first <c>AddWarren</c> on these services: everything but the consumers and RPC services.</summary>
    private static WarrenSetup Setup(IServiceCollection services)
    {
        var setup = new WarrenSetup();
        services.AddSingleton(setup);
        services.TryAddSingleton<HostedBus>();
        services.TryAddSingleton<IBus>(static provider => provider.GetRequiredService<HostedBus>());
        services.TryAddSingleton<IPublisher>(static provider => provider.GetRequiredService<HostedBus>());
        services.AddHostedService<WarrenHostedService>();

        // Configuration first, then the application's Configure calls (registered after this), then the host's logging.
        services.AddSingleton<IConfigureOptions<BusOptions>>(new ConfigureNamedOptions<BusOptions>(Options.Options.DefaultName, options =>
        {
            if (setup.Configuration is { } configuration)
            {
                OptionsBinding.Bind(configuration, options, []);
            }
        }));
        services.AddOptions<BusOptions>()
            .PostConfigure<IServiceProvider>(static (options, provider) => options.LoggerFactory ??= provider.GetService<ILoggerFactory>())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusOptions>>(new BusOptionsValidator(setup));
        services.AddSingleton<IValidateOptions<SubscribeOptions>>(new SubscribeOptionsValidator(setup));
        services.AddSingleton<IValidateOptions<ServeOptions>>(new ServeOptionsValidator(setup));
        services.AddSingleton<IValidateOptions<RpcClientOptions>>(new RpcClientOptionsValidator(setup));
        return setup;
    }

    /// <summary>Adds a consumer or server to the host once; refuses a second of the same name, whose configuration section would be the first's.</summary>
    private static bool TryAdd(IServiceCollection services, HostedEndpoint endpoint)
    {
        WarrenSetup setup = SetupFor(services);
        if (setup.Find(endpoint.Section, endpoint.Name) is { } existing && existing.Key != endpoint.Key)
        {
            throw new InvalidOperationException(
                $"Both {existing.Key} and {endpoint.Key} are named '{endpoint.Name}', so they would share the configuration section {endpoint.Section}:{endpoint.Name}; rename one.");
        }

        return setup.TryAdd(endpoint);
    }

    /// <summary>Named options read from <c>&lt;section&gt;:&lt;name&gt;</c> of Warren's configuration, validated when the host starts.</summary>
    private static void AddNamedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services, string section, string name, Action<IConfiguration, TOptions, System.Collections.Generic.List<string>> bind)
        where TOptions : class
    {
        WarrenSetup setup = SetupFor(services);
        services.AddSingleton<IConfigureOptions<TOptions>>(new ConfigureNamedOptions<TOptions>(name, options =>
        {
            if (setup.Configuration?.GetSection(section).GetSection(name) is { } named && named.Exists())
            {
                bind(named, options, []);
            }
        }));
        services.AddOptions<TOptions>(name).ValidateOnStart();
    }
}

/// <summary>The builder <c>AddWarren</c> returns.</summary>
internal sealed class WarrenBuilder(IServiceCollection services) : IWarrenBuilder
{
    public IServiceCollection Services { get; } = services;
}
