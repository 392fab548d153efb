using System;
using System.IO;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// <see cref="Errors"/>: how the broker's closure reasons (the texts RabbitMQ sends) become Warren's exceptions, and which
/// closures are connection faults worth waiting out rather than the broker's verdict.
/// </summary>
public sealed class ErrorsTests
{
    private const string InequivalentArg =
        "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'billing' in vhost '/': received 'quorum' but current is 'classic'";

    private static ShutdownEventArgs Peer(ushort code, string text) => new(ShutdownInitiator.Peer, code, text);

    [Fact]
    public void A_refused_declaration_names_what_was_declared_and_keeps_the_brokers_text_and_code()
    {
        var interrupted = new OperationInterruptedException(Peer(406, InequivalentArg));

        WarrenException error = Errors.Topology("queue 'billing'", interrupted);

        TopologyException topology = Assert.IsType<TopologyException>(error);
        Assert.Equal("The broker refused to declare queue 'billing': " + InequivalentArg, topology.Message);
        Assert.Equal(406, topology.ReplyCode);
        Assert.Same(interrupted, topology.InnerException);
        Assert.False(Errors.IsConnectionFault(topology));
    }

    [Fact]
    public void A_declaration_interrupted_by_a_connection_loss_says_so_and_is_a_connection_fault()
    {
        var interrupted = new OperationInterruptedException(Peer(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'"));

        WarrenException error = Errors.Topology("exchange 'orders'", interrupted);

        Assert.Equal(
            "Could not declare exchange 'orders': the connection to the broker went down (CONNECTION_FORCED - broker forced connection closure with reason 'shutdown')",
            error.Message);
        Assert.Equal(320, Assert.IsType<TopologyException>(error).ReplyCode);
        Assert.True(Errors.IsConnectionFault(error));
    }

    [Fact]
    public void A_refused_permission_names_the_resource_and_the_virtual_host()
    {
        ShutdownEventArgs reason = Peer(403, "ACCESS_REFUSED - access to exchange 'orders' in vhost 'shop' refused for user 'billing'");

        BrokerAccessDeniedException denied = Assert.IsType<BrokerAccessDeniedException>(Errors.Topology("exchange 'orders'", new OperationInterruptedException(reason)));

        Assert.Equal("shop", denied.VirtualHost);
        Assert.Equal("exchange 'orders'", denied.Resource);
        Assert.Equal(403, denied.ReplyCode);
        Assert.Equal(
            "The broker refused access to exchange 'orders' in virtual host 'shop': 403 ACCESS_REFUSED - access to exchange 'orders' in vhost 'shop' refused for user 'billing'. " +
            "Grant the user the permission (rabbitmqctl set_permissions: configure to declare, write to publish, read to consume).",
            denied.Message);
    }

    [Fact]
    public void The_virtual_host_is_read_from_the_last_vhost_in_the_text_so_a_resource_name_with_vhost_in_it_stays_whole()
    {
        ShutdownEventArgs reason = Peer(403, "ACCESS_REFUSED - access to queue 'x in vhost 'y' in vhost '/' refused for user 'u'");

        BrokerAccessDeniedException denied = Errors.AccessDenied(reason, innerException: null)!;

        Assert.Equal("/", denied.VirtualHost);
        Assert.Equal("queue 'x in vhost 'y'", denied.Resource);
    }

    [Fact]
    public void A_403_that_is_not_about_a_permission_is_no_access_denial()
    {
        // The broker refuses a reserved name with the same code.
        ShutdownEventArgs reserved = Peer(403, "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");

        Assert.Null(Errors.AccessDenied(reserved, innerException: null));
        Assert.IsType<TopologyException>(Errors.Topology("queue 'amq.mine'", new OperationInterruptedException(reserved)));
        Assert.Null(Errors.AccessDenied(Peer(404, "NOT_FOUND - no exchange 'orders' in vhost '/'"), innerException: null));
    }

    [Fact]
    public void An_access_text_without_a_virtual_host_still_gives_a_typed_denial()
    {
        BrokerAccessDeniedException denied = Errors.AccessDenied(Peer(403, "ACCESS_REFUSED - access to topic 'orders' refused"), innerException: null)!;

        Assert.Equal("?", denied.VirtualHost);
        Assert.Equal("a resource", denied.Resource);
    }

    [Theory]
    [InlineData(ShutdownInitiator.Peer, 404, true)] // NOT_FOUND
    [InlineData(ShutdownInitiator.Peer, 406, true)] // PRECONDITION_FAILED
    [InlineData(ShutdownInitiator.Peer, 403, true)] // ACCESS_REFUSED
    [InlineData(ShutdownInitiator.Peer, 405, true)] // RESOURCE_LOCKED
    [InlineData(ShutdownInitiator.Peer, 312, true)] // NO_ROUTE
    [InlineData(ShutdownInitiator.Peer, 320, false)] // CONNECTION_FORCED
    [InlineData(ShutdownInitiator.Peer, 541, false)] // INTERNAL_ERROR
    [InlineData(ShutdownInitiator.Library, 404, false)] // the client's own closure
    [InlineData(ShutdownInitiator.Application, 200, false)]
    public void Only_the_brokers_soft_errors_close_just_the_channel(ShutdownInitiator initiator, int code, bool channelError)
    {
        ShutdownEventArgs reason = new(initiator, (ushort)code, "text");

        Assert.Equal(channelError, Errors.IsChannelError(reason));
        Assert.Equal(!channelError, Errors.IsConnectionFault(new OperationInterruptedException(reason)));
    }

    [Fact]
    public void Network_failures_are_connection_faults_and_other_exceptions_are_not()
    {
        Assert.True(Errors.IsConnectionFault(new IOException("reset")));
        Assert.True(Errors.IsConnectionFault(new OperationInterruptedException()));
        Assert.False(Errors.IsConnectionFault(new InvalidOperationException()));
        Assert.False(Errors.IsConnectionFault(new TopologyException("refused", 406, new InvalidOperationException())));
    }

    [Theory]
    [InlineData("NOT_FOUND - no exchange 'orders' in vhost '/'", "orders", true)]
    [InlineData("NOT_FOUND - no exchange 'orders.eu' in vhost '/'", "orders", false)]
    [InlineData("ACCESS_REFUSED - access to exchange 'amq.default' in vhost '/' refused for user 'u'", "", true)]
    [InlineData("NOT_FOUND - no queue 'orders' in vhost '/'", "orders", false)]
    public void A_closure_names_an_exchange_only_by_its_exact_quoted_name(string text, string exchange, bool names)
    {
        Assert.Equal(names, Errors.NamesExchange(text, exchange));
    }

    [Fact]
    public void A_closure_is_described_with_code_text_and_who_closed()
    {
        Assert.Equal(
            "404 NOT_FOUND - no exchange 'orders' in vhost '/' (initiated by peer)",
            Errors.Describe(Peer(404, "NOT_FOUND - no exchange 'orders' in vhost '/'")));
    }
}
