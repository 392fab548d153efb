using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Warren.Hosting.Tests;

/// <summary><c>Warren:Endpoints</c> and <c>Warren:EndpointOrder</c>: the nodes of a cluster, as an array or one string, and what is wrong with them.</summary>
public sealed class EndpointsConfigurationTests
{
    [Fact]
    public void Endpoints_read_as_an_array_of_uris_or_host_port_items_and_the_order_by_name()
    {
        BusOptions options = Options("""
            { "Warren": {
                "Uri": "amqp://orders:secret@rabbit1:5672/shop",
                "Endpoints": [ "amqp://rabbit1:5672", "rabbit2:5673", "rabbit3" ],
                "EndpointOrder": "InOrder" } }
            """);

        Assert.Equal(["amqp://rabbit1:5672/", "amqp://rabbit2:5673/", "amqp://rabbit3/"], options.Endpoints.Select(uri => uri.ToString()));
        Assert.Equal(EndpointOrder.InOrder, options.EndpointOrder);
        Assert.Equal(new Uri("amqp://orders:secret@rabbit1:5672/shop"), options.Uri);
    }

    [Fact]
    public void Endpoints_read_as_one_comma_separated_string_take_the_scheme_of_the_uri()
    {
        BusOptions options = Options("""
            { "Warren": { "Uri": "amqps://orders:secret@rabbit1/shop", "Endpoints": "rabbit1:5671, rabbit2:5671,[::1]:5671" } }
            """);

        Assert.Equal(["amqps://rabbit1:5671/", "amqps://rabbit2:5671/", "amqps://[::1]:5671/"], options.Endpoints.Select(uri => uri.ToString()));
        Assert.Equal(EndpointOrder.Shuffle, options.EndpointOrder);
    }

    [Fact]
    public void Endpoints_that_cannot_work_are_named_by_their_index_without_showing_a_password()
    {
        OptionsValidationException failure = Assert.Throws<OptionsValidationException>(() => Options("""
            { "Warren": {
                "Uri": "amqp://orders:secret@rabbit1:5672/shop",
                "Endpoints": [ "amqp://rabbit1:5672", "amqp://admin:hunter2@rabbit2:5672", "amqps://rabbit3:5671", "amqp://rabbit4/other", "http://rabbit5/", "rabbit6/x" ],
                "EndpointOrdr": "InOrder" } }
            """));
        string all = string.Join("\n", failure.Failures);

        Assert.Contains("Warren:Endpoints item 4 must be an amqp:// or amqps:// URI, or host:port; 'http://rabbit5/' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Endpoints item 5 must be an amqp:// or amqps:// URI, or host:port; 'rabbit6/x' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:EndpointOrdr is not a Warren setting; did you mean 'Warren:EndpointOrder'?", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);

        // The readable items, set in code, are checked against Uri.
        var options = new BusOptions
        {
            Uri = new Uri("amqp://orders:secret@rabbit1:5672/shop"),
            Endpoints = [new Uri("amqp://rabbit1:5672"), new Uri("amqp://admin:hunter2@rabbit2:5672"), new Uri("amqps://rabbit3:5671"), new Uri("amqp://rabbit4/other"), new Uri("amqp://orders:secret@rabbit5/shop")],
        };
        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(() => Bus.ConnectAsync(options).GetAwaiter().GetResult());
        Assert.Contains("BusOptions.Endpoints.1 names the user 'admin' or a password that Uri does not ('orders'): credentials come from Uri", refused.Message, StringComparison.Ordinal);
        Assert.Contains("BusOptions.Endpoints.2 is amqps:// but Uri is amqp://", refused.Message, StringComparison.Ordinal);
        Assert.Contains("BusOptions.Endpoints.3 names the virtual host 'other' but Uri names 'shop'", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Endpoints.0", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Endpoints.4", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
    }

    private static BusOptions Options(string json)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddWarren(builder.Configuration.GetSection("Warren"));
        using ServiceProvider services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<BusOptions>>().Value;
    }
}
