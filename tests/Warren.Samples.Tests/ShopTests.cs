using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Warren.Samples.WorkerService;
using Xunit;

namespace Warren.Samples.Tests;

/// <summary>What a user of the two samples checks with curl, over HTTP against the web API, with the worker running.</summary>
public sealed class ShopTests(ShopSamples samples) : IClassFixture<ShopSamples>
{
    [Fact]
    public async Task An_order_posted_to_the_web_api_is_accepted_and_saved_by_the_worker()
    {
        using HttpClient client = samples.Web.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/orders", new { sku = "pear", quantity = 7 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        OrderPlaced? accepted = await response.Content.ReadFromJsonAsync<OrderPlaced>();
        Assert.NotNull(accepted);
        Assert.Equal(("pear", 7), (accepted.Sku, accepted.Quantity));
        ShopDatabase database = samples.Worker.Services.GetRequiredService<ShopDatabase>();
        OrderPlaced saved = await EventuallyAsync(() => database.Orders.GetValueOrDefault(accepted.OrderId), $"the worker to save order {accepted.OrderId}");
        Assert.Equal(accepted, saved);
    }

    [Fact]
    public async Task An_order_of_no_units_is_a_bad_request()
    {
        using HttpClient client = samples.Web.CreateClient();

        using HttpResponseMessage response = await client.PostAsJsonAsync("/orders", new { sku = "plum", quantity = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_quote_is_the_workers_unit_price_times_the_quantity()
    {
        using HttpClient client = samples.Web.CreateClient();

        Quote? quote = await client.GetFromJsonAsync<Quote>("/quote/apple?quantity=3");

        // The web API has no prices: 0.40 a unit is the worker's, so the answer went through the RPC server.
        Assert.Equal(new Quote("apple", 3, 0.40m, 1.20m), quote);
    }

    [Fact]
    public async Task A_quote_for_a_product_the_shop_does_not_sell_is_not_found()
    {
        using HttpClient client = samples.Web.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/quote/kiwi");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_is_healthy_with_warrens_check_connected()
    {
        using HttpClient client = samples.Web.CreateClient();

        using HttpResponseMessage response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        // Healthy with no checks at all would look the same over HTTP: Warren's check must be among them.
        HealthReport report = await samples.Web.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, Assert.Contains("warren", report.Entries).Status);
    }

    [Fact]
    public void The_web_api_reads_its_settings_from_appsettings_json_and_the_broker_from_the_tests_setting()
    {
        BusOptions bus = samples.Web.Services.GetRequiredService<IOptions<BusOptions>>().Value;
        RpcClientOptions pricing = samples.Web.Services.GetRequiredService<IOptionsMonitor<RpcClientOptions>>().Get(nameof(IPricing));

        Assert.Equal("shop-web", bus.ClientName);
        Assert.Equal(TimeSpan.FromSeconds(10), bus.PublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), pricing.Timeout);
        Assert.Equal(samples.VirtualHost.Uri, bus.Uri);
    }

    /// <summary>What <paramref name="probe"/> returns once it is not null; fails after 20 s.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        T? value;
        while ((value = probe()) is null)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"Gave up waiting for {what} after 20 s.");
            }

            await Task.Delay(20);
        }

        return value;
    }
}
