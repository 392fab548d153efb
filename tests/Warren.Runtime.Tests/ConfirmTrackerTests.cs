using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// <see cref="ConfirmTracker"/>: how the broker's acks and nacks (single, multiple, out of order), returns, channel and
/// connection closures and expiry settle the publishes waiting for their confirm.
/// </summary>
public sealed class ConfirmTrackerTests
{
    private readonly ConfirmTracker _tracker = new();

    private PendingConfirm Publish(ulong sequence, string exchange = "orders", string? mandatoryId = null, long deadline = long.MaxValue)
    {
        // The owner is only the state of the cancellation callback, which these tests do not register.
        var pending = new PendingConfirm(owner: null!)
        {
            Sequence = sequence, Exchange = exchange, RoutingKey = $"key{sequence}", MessageId = mandatoryId, Deadline = deadline,
        };
        _tracker.Add(pending);
        return pending;
    }

    /// <summary>An ack or nack as the publisher handles it: taken from the tracker, then completed.</summary>
    private void Confirm(ulong deliveryTag, bool multiple, bool nacked)
    {
        var settled = new List<PendingConfirm>();
        _tracker.Confirm(deliveryTag, multiple, settled);
        ConfirmTracker.Complete(settled, nacked);
        Assert.Empty(settled);
    }

    private static bool Acked(PendingConfirm pending) => pending.Task is { IsCompletedSuccessfully: true } task && task.Result;

    private static bool Waiting(PendingConfirm pending) => !pending.Task.IsCompleted;

    private static async Task<TException> Failed<TException>(PendingConfirm pending)
        where TException : Exception
    {
        Assert.True(pending.Task.IsFaulted);
        return await Assert.ThrowsAsync<TException>(async () => await pending.Task);
    }

    [Fact]
    public void A_single_ack_settles_only_its_own_publish()
    {
        PendingConfirm first = Publish(1), second = Publish(2), third = Publish(3);

        Confirm(2, multiple: false, nacked: false);

        Assert.True(Waiting(first));
        Assert.True(Acked(second));
        Assert.True(Waiting(third));
        Assert.Equal(2, _tracker.Count);
    }

    [Fact]
    public void A_multiple_ack_settles_every_publish_up_to_its_tag_and_none_after()
    {
        PendingConfirm[] published = [Publish(1), Publish(2), Publish(3), Publish(4)];

        Confirm(3, multiple: true, nacked: false);

        Assert.True(Acked(published[0]) && Acked(published[1]) && Acked(published[2]));
        Assert.True(Waiting(published[3]));
        Assert.Equal(1, _tracker.Count);
    }

    [Fact]
    public async Task Single_and_multiple_confirms_out_of_order_each_settle_a_publish_once_with_its_own_outcome()
    {
        PendingConfirm[] published = [Publish(1), Publish(2), Publish(3), Publish(4), Publish(5)];

        Confirm(3, multiple: false, nacked: false);
        Confirm(4, multiple: true, nacked: true);
        // A late multiple confirm below what was already settled changes nothing.
        Confirm(2, multiple: true, nacked: false);

        PublishNackedException nacked = await Failed<PublishNackedException>(published[0]);
        Assert.Equal("The broker refused (nacked) the message published to 'orders' with routing key 'key1'.", nacked.Message);
        await Failed<PublishNackedException>(published[1]);
        Assert.True(Acked(published[2]));
        await Failed<PublishNackedException>(published[3]);
        Assert.True(Waiting(published[4]));

        Confirm(5, multiple: true, nacked: false);
        Assert.True(Acked(published[4]));
        Assert.Equal(0, _tracker.Count);
    }

    [Fact]
    public void A_confirm_of_an_unknown_sequence_number_is_ignored()
    {
        PendingConfirm first = Publish(1);

        Confirm(7, multiple: false, nacked: false);

        Assert.True(Waiting(first));
    }

    [Fact]
    public async Task A_return_before_the_ack_fails_the_publish_with_the_brokers_reason()
    {
        PendingConfirm returned = Publish(1, mandatoryId: "m-1"), routed = Publish(2, mandatoryId: "m-2");

        _tracker.MarkReturned("m-1", "orders", "key1", 312, "NO_ROUTE");
        Assert.True(Waiting(returned));
        Confirm(2, multiple: true, nacked: false);

        PublishReturnedException error = await Failed<PublishReturnedException>(returned);
        Assert.Equal("The broker returned the message published to 'orders' with routing key 'key1': 312 NO_ROUTE.", error.Message);
        Assert.Equal(312, error.ReplyCode);
        Assert.True(Acked(routed));
    }

    [Fact]
    public async Task Returns_of_publishes_sharing_a_message_id_go_to_them_in_publish_order()
    {
        PendingConfirm first = Publish(1, mandatoryId: "same"), second = Publish(2, mandatoryId: "same"), third = Publish(3, mandatoryId: "same");

        _tracker.MarkReturned("same", "orders", "key1", 312, "NO_ROUTE");
        _tracker.MarkReturned("same", "orders", "key2", 312, "NO_ROUTE");
        Confirm(3, multiple: true, nacked: false);

        Assert.Equal("key1", (await Failed<PublishReturnedException>(first)).RoutingKey);
        Assert.Equal("key2", (await Failed<PublishReturnedException>(second)).RoutingKey);
        Assert.True(Acked(third));
    }

    [Fact]
    public async Task A_publish_removed_from_the_middle_of_a_shared_id_leaves_the_return_to_the_next_one()
    {
        PendingConfirm first = Publish(1, mandatoryId: "same"), cancelled = Publish(2, mandatoryId: "same"), third = Publish(3, mandatoryId: "same");
        _tracker.MarkReturned("same", "orders", "key1", 312, "NO_ROUTE");

        Assert.True(_tracker.Remove(cancelled));
        _tracker.MarkReturned("same", "orders", "key3", 312, "NO_ROUTE");
        Confirm(3, multiple: true, nacked: false);

        await Failed<PublishReturnedException>(first);
        Assert.True(Waiting(cancelled));
        Assert.Equal("key3", (await Failed<PublishReturnedException>(third)).RoutingKey);
    }

    [Fact]
    public void A_return_of_a_message_not_tracked_as_mandatory_changes_nothing()
    {
        PendingConfirm notMandatory = Publish(1);

        _tracker.MarkReturned(null, "orders", "key1", 312, "NO_ROUTE");
        _tracker.MarkReturned("unknown", "orders", "key1", 312, "NO_ROUTE");
        Confirm(1, multiple: false, nacked: false);

        Assert.True(Acked(notMandatory));
    }

    [Fact]
    public void Removing_a_settled_publish_says_it_was_already_settled()
    {
        PendingConfirm pending = Publish(1);
        Confirm(1, multiple: false, nacked: false);

        Assert.False(_tracker.Remove(pending));
    }

    [Fact]
    public void A_connection_loss_interrupts_every_publish_to_be_sent_again_and_numbering_restarts()
    {
        PendingConfirm first = Publish(1), second = Publish(2, mandatoryId: "m");
        Confirm(1, multiple: true, nacked: false);
        var loss = new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");

        Assert.Equal(1, _tracker.InterruptAll(loss, disposed: false));

        Assert.True(Acked(first));
        Assert.True(second.Task is { IsCompletedSuccessfully: true, Result: false });
        Assert.Same(loss, second.Interruption);
        Assert.Equal(0, second.ChannelErrors);
        Assert.Equal(0, _tracker.Count);

        // The recovered channel numbers from 1 again: a multiple ack of 1 settles the publish sent again as 1.
        second.Rearm();
        second.Sequence = 1;
        _tracker.Add(second);
        Confirm(1, multiple: true, nacked: false);
        Assert.True(Acked(second));
    }

    [Fact]
    public async Task A_channel_error_naming_the_exchange_fails_its_publishes_and_sends_the_others_again()
    {
        PendingConfirm missing = Publish(1, exchange: "gone"), other = Publish(2, exchange: "orders");
        var notFound = new ShutdownEventArgs(ShutdownInitiator.Peer, 404, "NOT_FOUND - no exchange 'gone' in vhost '/'");

        Assert.Equal(1, _tracker.InterruptAll(notFound, disposed: false));

        PublishInterruptedException error = await Failed<PublishInterruptedException>(missing);
        Assert.Equal(
            "The channel closed before the broker confirmed the message published to 'gone' with routing key 'key1': 404 NOT_FOUND - no exchange 'gone' in vhost '/'. The broker may or may not have taken it.",
            error.Message);
        Assert.True(other.Task is { IsCompletedSuccessfully: true, Result: false });
        Assert.Equal(1, other.ChannelErrors);
    }

    [Fact]
    public async Task A_refused_permission_on_the_exchange_fails_its_publishes_as_an_access_denial()
    {
        PendingConfirm denied = Publish(1, exchange: "orders");
        var refused = new ShutdownEventArgs(ShutdownInitiator.Peer, 403, "ACCESS_REFUSED - access to exchange 'orders' in vhost '/' refused for user 'app'");

        Assert.Equal(0, _tracker.InterruptAll(refused, disposed: false));

        BrokerAccessDeniedException error = await Failed<BrokerAccessDeniedException>(denied);
        Assert.Equal("exchange 'orders'", error.Resource);
    }

    [Fact]
    public async Task A_publish_caught_in_repeated_channel_errors_fails_rather_than_breaking_the_channel_again()
    {
        var precondition = new ShutdownEventArgs(ShutdownInitiator.Peer, 406, "PRECONDITION_FAILED - unknown delivery tag 1");
        PendingConfirm pending = Publish(1);
        for (int attempt = 1; attempt <= ConfirmTracker.MaxChannelErrorResends; attempt++)
        {
            Assert.Equal(1, _tracker.InterruptAll(precondition, disposed: false));
            Assert.Equal(attempt, pending.ChannelErrors);
            pending.Rearm();
            _tracker.Add(pending);
        }

        Assert.Equal(0, _tracker.InterruptAll(precondition, disposed: false));

        await Failed<PublishInterruptedException>(pending);
    }

    [Fact]
    public async Task Once_the_bus_is_disposed_every_pending_publish_fails()
    {
        PendingConfirm pending = Publish(1);
        var disposed = new ShutdownEventArgs(ShutdownInitiator.Application, 0, "the bus was disposed");

        Assert.Equal(0, _tracker.InterruptAll(disposed, disposed: true));

        Assert.Equal(
            "The channel closed before the broker confirmed the message published to 'orders' with routing key 'key1': 0 the bus was disposed. The broker may or may not have taken it.",
            (await Failed<PublishInterruptedException>(pending)).Message);
    }

    [Fact]
    public void Overdue_publishes_are_taken_out_so_a_late_confirm_no_longer_settles_them()
    {
        PendingConfirm overdue = Publish(1, deadline: 1_000), exactlyDue = Publish(2, deadline: 2_000), later = Publish(3, deadline: 3_000);

        List<PendingConfirm> taken = _tracker.TakeOverdue(now: 2_000)!;

        Assert.Equal([overdue, exactlyDue], taken);
        Assert.Equal(1, _tracker.Count);
        Confirm(3, multiple: true, nacked: false);
        Assert.True(Waiting(overdue));
        Assert.True(Acked(later));
        Assert.Null(_tracker.TakeOverdue(now: 10_000));
    }
}
