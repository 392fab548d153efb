using System;
using System.Linq;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// What <see cref="BusOptions"/> refuses, worded as users see it: for options set in code one exception naming every
/// setting (<see cref="OptionProblems.ThrowIfAny"/>), for configuration one line per setting under its path.
/// </summary>
public sealed class BusOptionsTests
{
    [Fact]
    public void Usable_options_have_no_problem()
    {
        Assert.Empty(new BusOptions { Uri = new Uri("amqp://guest:guest@localhost:5672/"), Endpoints = [new Uri("amqp://rabbit1:5672")] }.Problems());
    }

    [Fact]
    public void Options_set_in_code_fail_with_every_problem_named_after_the_property()
    {
        var options = new BusOptions { Uri = new Uri("http://user:secret@host/"), Prefetch = 0, MaxOutstandingConfirms = 0 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OptionProblems.ThrowIfAny(nameof(BusOptions), options.Problems()));

        Assert.Equal("BusOptions", error.ParamName);
        Assert.StartsWith(
            "BusOptions.Uri must be an amqp:// or amqps:// URI, not 'http://user:***@host/'. " +
            "BusOptions.MaxOutstandingConfirms must be at least 1 (is 0). " +
            "BusOptions.Prefetch must be at least 1 (RabbitMQ reads a prefetch of 0 as no limit at all).",
            error.Message);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_problems_keep_the_configuration_path_and_code_problems_turn_it_into_dots()
    {
        (string, string)[] problems = [("Endpoints:1", "is null"), ("Prefetch", "must be at least 1")];

        Assert.Equal(["Warren:Endpoints:1 is null", "Warren:Prefetch must be at least 1"], OptionProblems.Describe("Warren:", problems));
        Assert.Equal(["BusOptions.Endpoints.1 is null", "BusOptions.Prefetch must be at least 1"], OptionProblems.Describe("BusOptions.", problems));
        OptionProblems.ThrowIfAny("BusOptions", []);
    }

    [Fact]
    public void Endpoints_must_agree_with_the_uri_on_scheme_credentials_and_virtual_host()
    {
        var options = new BusOptions
        {
            Uri = new Uri("amqp://app:pw@localhost/shop"),
            Endpoints = [new Uri("amqps://rabbit1"), new Uri("amqp://other:pw@rabbit2"), new Uri("amqp://rabbit3/billing"), new Uri("amqp://rabbit4/shop"), new Uri("amqp://app:pw@rabbit5")],
        };

        Assert.Equal(
            [
                "Endpoints:0 is amqps:// but Uri is amqp://: TLS comes from Uri, the same for every node; use one scheme",
                "Endpoints:1 names the user 'other' or a password that Uri does not ('app'): credentials come from Uri, the same for every node; leave them out of the endpoint",
                "Endpoints:2 names the virtual host 'billing' but Uri names 'shop': the virtual host comes from Uri, the same for every node; leave it out of the endpoint",
            ],
            options.Problems().Select(p => $"{p.Setting} {p.Problem}"));
    }

    [Theory]
    [InlineData("rabbit1", "amqp", "amqp://rabbit1/")]
    [InlineData(" rabbit1:5673 ", "amqp", "amqp://rabbit1:5673/")]
    [InlineData("rabbit1:5671", "amqps", "amqps://rabbit1:5671/")]
    [InlineData("[::1]:5672", "amqp", "amqp://[::1]:5672/")]
    [InlineData("amqps://rabbit2:5999", "amqp", "amqps://rabbit2:5999/")]
    [InlineData("user@rabbit1", "amqp", null)]
    [InlineData("rabbit1/vhost", "amqp", null)]
    [InlineData("", "amqp", null)]
    public void A_configured_endpoint_is_a_uri_or_a_host_and_port_with_the_uris_scheme(string text, string scheme, string? parsed)
    {
        Assert.Equal(parsed, BusOptions.ParseEndpoint(text, scheme)?.ToString());
    }

    [Fact]
    public void Passwords_never_reach_logs_or_messages()
    {
        Assert.Equal("amqp://app:***@rabbit1:5672/shop", BusOptions.Redact(new Uri("amqp://app:secret@rabbit1:5672/shop")));
        Assert.Equal("amqp://rabbit1/", BusOptions.Redact(new Uri("amqp://rabbit1")));
        Assert.Equal("BusOptions { Uri = amqp://app:***@rabbit1/, ClientName = svc }", new BusOptions { Uri = new Uri("amqp://app:secret@rabbit1"), ClientName = "svc" }.ToString());
    }
}
