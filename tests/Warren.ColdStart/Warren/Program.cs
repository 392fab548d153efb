// Cold start, Warren: 10 consumers on 10 queues, one message to each; see ../README.md. Also the NativeAOT sample.
using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Warren;
using Warren.ColdStart;

string uri = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("WARREN_AMQP_URI") ?? "amqp://guest:guest@localhost:5672/";
await using Bus bus = await Bus.ConnectAsync(new BusOptions { Uri = new Uri(uri), ClientName = "coldstart-warren" });

await using Subscription s0 = await bus.SubscribeAsync(new Consumer0());
await using Subscription s1 = await bus.SubscribeAsync(new Consumer1());
await using Subscription s2 = await bus.SubscribeAsync(new Consumer2());
await using Subscription s3 = await bus.SubscribeAsync(new Consumer3());
await using Subscription s4 = await bus.SubscribeAsync(new Consumer4());
await using Subscription s5 = await bus.SubscribeAsync(new Consumer5());
await using Subscription s6 = await bus.SubscribeAsync(new Consumer6());
await using Subscription s7 = await bus.SubscribeAsync(new Consumer7());
await using Subscription s8 = await bus.SubscribeAsync(new Consumer8());
await using Subscription s9 = await bus.SubscribeAsync(new Consumer9());

await bus.PublishAsync(new Cold0(0));
await bus.PublishAsync(new Cold1(1));
await bus.PublishAsync(new Cold2(2));
await bus.PublishAsync(new Cold3(3));
await bus.PublishAsync(new Cold4(4));
await bus.PublishAsync(new Cold5(5));
await bus.PublishAsync(new Cold6(6));
await bus.PublishAsync(new Cold7(7));
await bus.PublishAsync(new Cold8(8));
await bus.PublishAsync(new Cold9(9));

return await Progress.WaitAsync() ? 0 : 1;

namespace Warren.ColdStart
{
    [Queue("coldstart.warren.0")]
    public sealed record Cold0(int Id);

    [Consumer]
    public sealed class Consumer0 : IConsumer<Cold0>
    {
        public ValueTask HandleAsync(Cold0 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.1")]
    public sealed record Cold1(int Id);

    [Consumer]
    public sealed class Consumer1 : IConsumer<Cold1>
    {
        public ValueTask HandleAsync(Cold1 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.2")]
    public sealed record Cold2(int Id);

    [Consumer]
    public sealed class Consumer2 : IConsumer<Cold2>
    {
        public ValueTask HandleAsync(Cold2 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.3")]
    public sealed record Cold3(int Id);

    [Consumer]
    public sealed class Consumer3 : IConsumer<Cold3>
    {
        public ValueTask HandleAsync(Cold3 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.4")]
    public sealed record Cold4(int Id);

    [Consumer]
    public sealed class Consumer4 : IConsumer<Cold4>
    {
        public ValueTask HandleAsync(Cold4 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.5")]
    public sealed record Cold5(int Id);

    [Consumer]
    public sealed class Consumer5 : IConsumer<Cold5>
    {
        public ValueTask HandleAsync(Cold5 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.6")]
    public sealed record Cold6(int Id);

    [Consumer]
    public sealed class Consumer6 : IConsumer<Cold6>
    {
        public ValueTask HandleAsync(Cold6 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.7")]
    public sealed record Cold7(int Id);

    [Consumer]
    public sealed class Consumer7 : IConsumer<Cold7>
    {
        public ValueTask HandleAsync(Cold7 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.8")]
    public sealed record Cold8(int Id);

    [Consumer]
    public sealed class Consumer8 : IConsumer<Cold8>
    {
        public ValueTask HandleAsync(Cold8 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    [Queue("coldstart.warren.9")]
    public sealed record Cold9(int Id);

    [Consumer]
    public sealed class Consumer9 : IConsumer<Cold9>
    {
        public ValueTask HandleAsync(Cold9 message, MessageContext context, CancellationToken cancellationToken)
        {
            Progress.Consumed(message.Id);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Serialization without reflection, for the NativeAOT build.</summary>
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(Cold0))]
    [JsonSerializable(typeof(Cold1))]
    [JsonSerializable(typeof(Cold2))]
    [JsonSerializable(typeof(Cold3))]
    [JsonSerializable(typeof(Cold4))]
    [JsonSerializable(typeof(Cold5))]
    [JsonSerializable(typeof(Cold6))]
    [JsonSerializable(typeof(Cold7))]
    [JsonSerializable(typeof(Cold8))]
    [JsonSerializable(typeof(Cold9))]
    internal sealed partial class ColdJson : JsonSerializerContext;
}
