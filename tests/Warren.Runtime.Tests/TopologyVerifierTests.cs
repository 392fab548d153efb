using System;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// <see cref="DeclareMode.Verify"/>'s verdicts: how a refused passive or active declaration becomes a
/// <see cref="TopologyDifference"/>, and the exception that lists them.
/// </summary>
public sealed class TopologyVerifierTests
{
    private static readonly TopologyExpectation Orders = TopologyExpectation.Exchange("orders", "topic", durable: true);
    private static readonly TopologyExpectation Billing = TopologyExpectation.Queue("billing", QueueSettings.Classic(durable: true));

    private static ShutdownEventArgs Peer(ushort code, string text) => new(ShutdownInitiator.Peer, code, text);

    [Fact]
    public void A_missing_entity_does_not_exist()
    {
        TopologyDifference missing = TopologyVerifier.Missing(Orders, Peer(404, "NOT_FOUND - no exchange 'orders' in vhost '/'"));

        Assert.Equal(new TopologyDifference(TopologyEntityKind.Exchange, "orders", "does not exist", 404), missing);
        Assert.Equal("exchange 'orders': does not exist", missing.ToString());
    }

    [Fact]
    public void Another_refusal_of_the_passive_declaration_gives_the_brokers_reason_without_its_code_name()
    {
        TopologyDifference locked = TopologyVerifier.Missing(
            Billing, Peer(405, "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'billing' in vhost '/'"));

        Assert.Equal("queue 'billing': cannot obtain exclusive access to locked queue 'billing' in vhost '/'", locked.ToString());
        Assert.Equal(405, locked.ReplyCode);
    }

    [Fact]
    public void A_refused_declaration_means_the_entity_exists_with_other_properties()
    {
        TopologyDifference differs = TopologyVerifier.Differs(
            Billing, Peer(406, "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'billing' in vhost '/': received 'true' but current is 'false'"));

        Assert.Equal(
            "queue 'billing': exists with other properties: inequivalent arg 'durable' for queue 'billing' in vhost '/': received 'true' but current is 'false'",
            differs.ToString());
    }

    [Fact]
    public void A_text_without_a_leading_code_name_is_kept_whole()
    {
        const string text = "the queue 'billing' in vhost '/' is declared differently - see the management UI";

        Assert.Equal("exists with other properties: " + text, TopologyVerifier.Differs(Billing, Peer(406, text)).Problem);
    }

    [Fact]
    public void The_verification_failure_lists_every_difference_and_carries_the_first_code()
    {
        var error = new TopologyVerificationException(
            "the subscription of OrderPlaced to queue 'billing'",
            [
                TopologyVerifier.Missing(Orders, Peer(404, "NOT_FOUND - no exchange 'orders' in vhost '/'")),
                TopologyVerifier.Differs(Billing, Peer(406, "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'billing' in vhost '/': received 'quorum' but current is 'classic'")),
            ]);

        Assert.Equal(
            "The broker's topology does not match what the subscription of OrderPlaced to queue 'billing' needs (DeclareMode.Verify declares nothing); 2 differences:" + Environment.NewLine +
            "  - exchange 'orders': does not exist" + Environment.NewLine +
            "  - queue 'billing': exists with other properties: inequivalent arg 'x-queue-type' for queue 'billing' in vhost '/': received 'quorum' but current is 'classic'",
            error.Message);
        Assert.Equal(404, error.ReplyCode);
        Assert.Equal(2, error.Differences.Count);
    }
}
