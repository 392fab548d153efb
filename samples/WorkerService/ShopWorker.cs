using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Warren.Samples.WorkerService;

/// <summary>The worker's host, built here so that Program.cs and the tests (tests/Warren.Samples.Tests) build the same one.</summary>
public static class ShopWorker
{
    /// <param name="args">The command line; a setting there, such as <c>--Warren:ClientName=shop-2</c>, overrides appsettings.json.</param>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddSingleton<ShopDatabase>();
        builder.Services.AddScoped<ShopRepository>();

        // appsettings.json leaves Warren:Uri unset, so the broker is $WARREN_AMQP_URI, else amqp://guest:guest@localhost:5672/.
        builder.Services.AddWarren(builder.Configuration.GetSection("Warren"))
            .AddWarrenConsumers()       // OrderProcessor, from a new DI scope for every order
            .AddWarrenRpcServices();    // PricingService serving IPricing, from a new DI scope for every request
        return builder;
    }
}
