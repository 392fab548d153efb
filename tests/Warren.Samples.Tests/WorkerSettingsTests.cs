using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Warren.Samples.WorkerService;
using Xunit;

namespace Warren.Samples.Tests;

/// <summary>The worker's settings as its host reads them; the host is built, not started, so no broker is needed.</summary>
public sealed class WorkerSettingsTests
{
    [Fact]
    public void The_worker_reads_its_Warren_settings_from_appsettings_json()
    {
        using IHost worker = WorkerHost.Build();
        IServiceProvider services = worker.Services;

        BusOptions bus = services.GetRequiredService<IOptions<BusOptions>>().Value;
        Assert.Equal("shop-worker", bus.ClientName);
        Assert.Equal(16, bus.Prefetch);
        Assert.Equal(5, bus.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), bus.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), bus.Retry.MaxDelay);

        SubscribeOptions orders = services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(nameof(OrderProcessor));
        Assert.Equal((ushort)4, orders.ConcurrentHandlers);

        ServeOptions pricing = services.GetRequiredService<IOptionsMonitor<ServeOptions>>().Get(nameof(IPricing));
        Assert.Equal(4, pricing.Prefetch);
        Assert.Equal(4, pricing.ConcurrentRequests);
    }

    [Fact]
    public void The_worker_leaves_the_broker_to_WARREN_AMQP_URI()
    {
        using IHost worker = WorkerHost.Build();

        // A Warren:Uri in appsettings.json would win over WARREN_AMQP_URI, which BusOptions reads when Uri is not set.
        Assert.Null(worker.Services.GetRequiredService<IConfiguration>()["Warren:Uri"]);
        Assert.Equal(new BusOptions().Uri, worker.Services.GetRequiredService<IOptions<BusOptions>>().Value.Uri);
    }

    [Fact]
    public void A_command_line_setting_overrides_appsettings_json()
    {
        using IHost worker = WorkerHost.Build("--Warren:ClientName=shop-worker-2");

        Assert.Equal("shop-worker-2", worker.Services.GetRequiredService<IOptions<BusOptions>>().Value.ClientName);
    }
}
