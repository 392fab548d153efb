// Cold start, hand-written: 10 consumers on 10 queues with RabbitMQ.Client, one message to each; see ../README.md.
using System;
using System.Text.Json;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Warren.ColdStart;

const int Queues = Progress.Queues;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var factory = new ConnectionFactory { Uri = new Uri(args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("WARREN_AMQP_URI") ?? "amqp://guest:guest@localhost:5672/") };
await using IConnection connection = await factory.CreateConnectionAsync();

for (int i = 0; i < Queues; i++)
{
    IChannel channel = await connection.CreateChannelAsync();
    string queue = $"coldstart.raw.{i}";
    await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    await channel.BasicQosAsync(0, 16, false);
    var consumer = new AsyncEventingBasicConsumer(channel);
    consumer.ReceivedAsync += async (_, delivery) =>
    {
        ColdMessage message = JsonSerializer.Deserialize<ColdMessage>(delivery.Body.Span, json) ?? throw new JsonException("null body");
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        Progress.Consumed(message.Id);
    };
    await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
}

await using (IChannel publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
{
    for (int i = 0; i < Queues; i++)
    {
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await publisher.BasicPublishAsync(string.Empty, $"coldstart.raw.{i}", mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(new ColdMessage(i), json));
    }
}

return await Progress.WaitAsync() ? 0 : 1;

internal sealed record ColdMessage(int Id);
