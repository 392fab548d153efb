using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Hosting.Tests;

/// <summary>RPC in a host: the generated registration serves the [RpcServer] class and registers the client proxy.</summary>
public sealed class HostedRpcTests
{
    [Fact]
    public async Task An_injected_client_calls_the_hosted_server_which_gets_a_scope_of_its_own_per_request()
    {
        await using RawBroker raw = await TestHost.CleanQueuesAsync("warren.hosting.pricing");
        HostApplicationBuilder builder = TestHost.Builder("hosting-rpc");
        builder.Services.AddWarren().AddWarrenRpcServices();
        IHost host = builder.Build();
        try
        {
            // Resolved before the host started: the proxy waits for the connection on its first call.
            IPricing pricing = host.Services.GetRequiredService<IPricing>();
            Assert.IsNotType<PricingServer>(pricing);
            await host.StartAsync();

            Assert.Equal(2.0m, await pricing.QuoteAsync("apple", 4));
            Assert.Equal(0.5m, await pricing.QuoteAsync("apple", 1));
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => pricing.QuoteAsync("pear", 1));
            Assert.Contains("No price for 'pear'", error.Message, StringComparison.Ordinal);

            Guid[] scopes = [.. host.Services.GetRequiredService<PriceList>().Scopes];
            Assert.Equal(3, scopes.Length);
            Assert.Equal(3, scopes.Distinct().Count());
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }
}
