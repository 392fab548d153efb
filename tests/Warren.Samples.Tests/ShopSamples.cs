using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Samples.Tests;

/// <summary>
/// Both samples running in this process against the shared broker, each reading its own appsettings.json: the worker's
/// host, as its Program.cs builds it, and the web API under <see cref="WebApplicationFactory{TEntryPoint}"/>. The
/// samples' exchange and queues have fixed names ('shop.orders', 'shop.order-processing', 'shop.pricing'), so rather
/// than renaming them both samples are pointed (Warren:Uri) at a virtual host of this run's own: nothing is shared with
/// another run or with a sample running beside the tests, and deleting the virtual host deletes all they declared.
/// </summary>
public sealed class ShopSamples : IAsyncLifetime
{
    public ShopSamples()
    {
        VirtualHost = Broker.TemporaryVirtualHost("samples");
        try
        {
            Worker = WorkerHost.Build($"--Warren:Uri={VirtualHost.Uri}", "--Logging:LogLevel:Default=Warning");
            Web = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
                .UseSetting("Warren:Uri", VirtualHost.Uri.ToString())
                .UseSetting("Logging:LogLevel:Default", "Warning"));
        }
        catch
        {
            VirtualHost.Dispose();
            throw;
        }
    }

    public TemporaryVirtualHost VirtualHost { get; }

    public IHost Worker { get; }

    public WebApplicationFactory<Program> Web { get; }

    public async Task InitializeAsync()
    {
        // The worker first: its queue must be bound to 'shop.orders' before the web API publishes an order there.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Worker.StartAsync(timeout.Token);
        // The first client starts the web API, which connects before it serves.
        Web.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Web.DisposeAsync();
            await Worker.StopAsync();
            if (Worker is IAsyncDisposable worker)
            {
                await worker.DisposeAsync();
            }
        }
        finally
        {
            VirtualHost.Dispose();
        }
    }
}
