using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Message("warren.test.poly.shipment")]
[Topic("warren.test.poly.shipments", RoutingKey = "{Region}")]
[JsonDerivedType(typeof(PolyShipment), "shipment")]
[JsonDerivedType(typeof(ExpressShipment), "express")]
[JsonDerivedType(typeof(DroneShipment), "drone")]
public record PolyShipment(string Region, string Id);

public record ExpressShipment(string Region, string Id, int Hours) : PolyShipment(Region, Id);

public sealed record DroneShipment(string Region, string Id, int Hours, string Drone) : ExpressShipment(Region, Id, Hours);

[Consumer, Bind("#")]
public sealed class PolyShipmentConsumer : InboxConsumer<PolyShipment>;

[Queue("warren.test.poly.parcels")]
[JsonDerivedType(typeof(ContextParcel), "parcel")]
[JsonDerivedType(typeof(FragileParcel), "fragile")]
public record ContextParcel(string Id);

public sealed record FragileParcel(string Id, string Handling) : ContextParcel(Id);

/// <summary>The source-generated (trimming, NativeAOT) path: the context lists the base only; [JsonDerivedType] brings the derived type.</summary>
[JsonSerializable(typeof(ContextParcel))]
internal sealed partial class ParcelJsonContext : JsonSerializerContext
{
}

/// <summary>
/// A type derived from a message and listed with [JsonDerivedType] is published through the base's routing, with its
/// discriminator and every property, whichever of the two types the publish names; consumers of the base get the derived
/// instance.
/// </summary>
public sealed class PolymorphicMessageTests
{
    private const string Exchange = "warren.test.poly.shipments";

    [Fact]
    public async Task Publishing_a_derived_type_as_itself_or_as_the_base_reaches_a_consumer_of_the_base_with_all_its_properties()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange]);
        await using Bus bus = await Broker.ConnectAsync("poly-consume");
        var consumer = new PolyShipmentConsumer();
        await using Subscription subscription = await bus.SubscribeAsync(consumer);

        var express = new ExpressShipment("eu", "s-1", 24);
        var drone = new DroneShipment("us", "s-2", 2, "D-7");
        var plain = new PolyShipment("asia", "s-3");
        await bus.PublishAsync(express);                    // TMessage = ExpressShipment: its own generated descriptor
        await bus.PublishAsync<PolyShipment>(drone);        // TMessage = the base
        await bus.PublishAsync<ExpressShipment>(drone);     // an intermediate type
        await bus.PublishAsync(plain);

        await consumer.Inbox.WaitForAsync(4);
        await consumer.Inbox.AssertQuietAsync(4);
        List<PolyShipment> received = consumer.Inbox.Messages.ToList();
        Assert.Equal(new PolyShipment[] { express, drone, drone, plain }, received);
        Assert.IsType<ExpressShipment>(received[0]);
        Assert.IsType<DroneShipment>(received[1]);
        Assert.IsType<DroneShipment>(received[2]);
        Assert.Equal(["eu", "us", "us", "asia"], consumer.Inbox.Items.Select(i => i.Context.RoutingKey));
        Assert.All(consumer.Inbox.Items, i => Assert.Equal("warren.test.poly.shipment", i.Context.MessageType));
    }

    [Fact]
    public async Task The_raw_body_holds_the_discriminator_and_the_derived_properties()
    {
        string queue = $"warren.test.poly.raw.{System.Guid.NewGuid():N}";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue], exchanges: [Exchange]);
        await using Bus bus = await Broker.ConnectAsync("poly-raw");

        // The derived type's first publish declares the base's exchange: nothing else has declared it yet.
        await bus.PublishAsync(new DroneShipment("eu", "s-9", 1, "D-1"));
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(queue, Exchange, "#");
        }

        await bus.PublishAsync(new DroneShipment("eu", "s-10", 3, "D-2"));
        await bus.PublishAsync<PolyShipment>(new ExpressShipment("us", "s-11", 12));

        BasicGetResult? drone = await raw.GetAsync(queue);
        BasicGetResult? express = await raw.GetAsync(queue);
        Assert.NotNull(drone);
        Assert.NotNull(express);
        Assert.Equal("$type=\"drone\" drone=\"D-2\" hours=3 id=\"s-10\" region=\"eu\"", Describe(drone!.Body.Span));
        Assert.Equal("$type=\"express\" hours=12 id=\"s-11\" region=\"us\"", Describe(express!.Body.Span));
        Assert.Equal("warren.test.poly.shipment", drone.BasicProperties.Type);
        Assert.Equal("eu", drone.RoutingKey);
    }

    [Fact]
    public async Task A_derived_type_serializes_through_the_json_context_of_its_base()
    {
        const string queue = "warren.test.poly.parcels";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("poly-context");

        await bus.PublishAsync(new FragileParcel("p-1", "glass"));
        BasicGetResult? published = await raw.GetAsync(queue);
        Assert.NotNull(published);
        // The context has no naming policy (unlike the bus's web defaults), so its use shows on the wire.
        Assert.Equal("""{"$type":"fragile","Handling":"glass","Id":"p-1"}""", Encoding.UTF8.GetString(published!.Body.Span));

        var inbox = new Inbox<ContextParcel>();
        await using Subscription subscription = await bus.SubscribeAsync<ContextParcel>((m, c, _) => { inbox.Add(m, c); return default; });
        await bus.PublishAsync<ContextParcel>(new FragileParcel("p-2", "this side up"));
        await inbox.WaitForAsync(1);
        Assert.Equal(new FragileParcel("p-2", "this side up"), Assert.IsType<FragileParcel>(inbox.Messages[0]));
    }

    /// <summary>The discriminator (which must come first), then the other properties in name order: <c>$type="x" a=1 b="y"</c>.</summary>
    private static string Describe(System.ReadOnlySpan<byte> body)
    {
        using JsonDocument document = JsonDocument.Parse(body.ToArray());
        List<JsonProperty> properties = document.RootElement.EnumerateObject().ToList();
        Assert.Equal("$type", properties[0].Name);
        return string.Join(" ", properties.Take(1).Concat(properties.Skip(1).OrderBy(p => p.Name, System.StringComparer.Ordinal)).Select(p => $"{p.Name}={p.Value.GetRawText()}"));
    }
}
