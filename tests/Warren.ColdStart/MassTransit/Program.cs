// Cold start, MassTransit: 10 consumers on 10 receive endpoints, one message to each; see ../README.md.
using System;
using System.Threading;
using System.Threading.Tasks;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Warren.ColdStart;

var uri = new Uri(args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("WARREN_AMQP_URI") ?? "amqp://guest:guest@localhost:5672/");
string[] credentials = uri.UserInfo.Split(':', 2);
var services = new ServiceCollection();
services.AddMassTransit(bus =>
{
    bus.AddConsumer<ColdConsumer<Cold0>>();
    bus.AddConsumer<ColdConsumer<Cold1>>();
    bus.AddConsumer<ColdConsumer<Cold2>>();
    bus.AddConsumer<ColdConsumer<Cold3>>();
    bus.AddConsumer<ColdConsumer<Cold4>>();
    bus.AddConsumer<ColdConsumer<Cold5>>();
    bus.AddConsumer<ColdConsumer<Cold6>>();
    bus.AddConsumer<ColdConsumer<Cold7>>();
    bus.AddConsumer<ColdConsumer<Cold8>>();
    bus.AddConsumer<ColdConsumer<Cold9>>();
    bus.UsingRabbitMq((context, rabbit) =>
    {
        rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), "/", "coldstart-masstransit", host =>
        {
            host.Username(Uri.UnescapeDataString(credentials[0]));
            host.Password(Uri.UnescapeDataString(credentials[1]));
        });
        rabbit.ReceiveEndpoint("coldstart.masstransit.0", e => e.ConfigureConsumer<ColdConsumer<Cold0>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.1", e => e.ConfigureConsumer<ColdConsumer<Cold1>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.2", e => e.ConfigureConsumer<ColdConsumer<Cold2>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.3", e => e.ConfigureConsumer<ColdConsumer<Cold3>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.4", e => e.ConfigureConsumer<ColdConsumer<Cold4>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.5", e => e.ConfigureConsumer<ColdConsumer<Cold5>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.6", e => e.ConfigureConsumer<ColdConsumer<Cold6>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.7", e => e.ConfigureConsumer<ColdConsumer<Cold7>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.8", e => e.ConfigureConsumer<ColdConsumer<Cold8>>(context));
        rabbit.ReceiveEndpoint("coldstart.masstransit.9", e => e.ConfigureConsumer<ColdConsumer<Cold9>>(context));
    });
});
await using ServiceProvider provider = services.BuildServiceProvider();
IBusControl busControl = provider.GetRequiredService<IBusControl>();
await busControl.StartAsync();
await busControl.Publish(new Cold0(0));
await busControl.Publish(new Cold1(1));
await busControl.Publish(new Cold2(2));
await busControl.Publish(new Cold3(3));
await busControl.Publish(new Cold4(4));
await busControl.Publish(new Cold5(5));
await busControl.Publish(new Cold6(6));
await busControl.Publish(new Cold7(7));
await busControl.Publish(new Cold8(8));
await busControl.Publish(new Cold9(9));

bool done = await Progress.WaitAsync();
await busControl.StopAsync();
return done ? 0 : 1;

namespace Warren.ColdStart
{
    public interface IColdMessage
    {
        int Id { get; }
    }

    public sealed class ColdConsumer<T> : IConsumer<T>
        where T : class, IColdMessage
    {
        public Task Consume(ConsumeContext<T> context)
        {
            Progress.Consumed(context.Message.Id);
            return Task.CompletedTask;
        }
    }

    public sealed record Cold0(int Id) : IColdMessage;
    public sealed record Cold1(int Id) : IColdMessage;
    public sealed record Cold2(int Id) : IColdMessage;
    public sealed record Cold3(int Id) : IColdMessage;
    public sealed record Cold4(int Id) : IColdMessage;
    public sealed record Cold5(int Id) : IColdMessage;
    public sealed record Cold6(int Id) : IColdMessage;
    public sealed record Cold7(int Id) : IColdMessage;
    public sealed record Cold8(int Id) : IColdMessage;
    public sealed record Cold9(int Id) : IColdMessage;
}
