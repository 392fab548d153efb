using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Wrong_credentials_fail_at_once_with_a_typed_error_that_does_not_show_the_password()
    {
        var uri = new UriBuilder(Broker.Uri) { UserName = "guest", Password = "not-the-password" }.Uri;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        DateTime started = DateTime.UtcNow;

        BrokerAccessDeniedException error = await Assert.ThrowsAsync<BrokerAccessDeniedException>(
            () => Bus.ConnectAsync(new BusOptions { Uri = uri, ClientName = "wrong-password" }, patience.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "an authentication failure must not be retried");
        Assert.Equal("/", error.VirtualHost);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [Fact]
    public async Task A_virtual_host_that_does_not_exist_fails_at_connect_naming_it()
    {
        var uri = new Uri(Broker.Uri, "/warren-no-such-vhost");
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        BrokerAccessDeniedException error = await Assert.ThrowsAsync<BrokerAccessDeniedException>(
            () => Bus.ConnectAsync(new BusOptions { Uri = uri, ClientName = "missing-vhost" }, patience.Token));

        Assert.Equal("warren-no-such-vhost", error.VirtualHost);
        Assert.Contains("warren-no-such-vhost", error.Message);
    }

    [Fact]
    public async Task Connecting_while_no_broker_listens_keeps_retrying_until_the_caller_gives_up()
    {
        var logs = new CapturingLoggerFactory();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Bus.ConnectAsync(new BusOptions { Uri = new Uri("amqp://guest:guest@127.0.0.1:1/"), LoggerFactory = logs }, patience.Token));

        Assert.True(logs.Entries.Count >= 2, "each failed attempt is logged before the next");
        Assert.All(logs.Entries, e => Assert.DoesNotContain("guest:guest", e.Message));
    }
}
