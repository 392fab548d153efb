// Cold start, Wolverine: 10 listeners on 10 queues, one handler class, one message to each; see ../README.md.
using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Warren.ColdStart;
using Wolverine;
using Wolverine.RabbitMQ;

var uri = new Uri(args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("WARREN_AMQP_URI") ?? "amqp://guest:guest@localhost:5672/");
HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseWolverine(opts =>
{
    opts.UseRabbitMq(uri).AutoProvision();
    opts.ListenToRabbitQueue("coldstart.wolverine.0");
    opts.PublishMessage<Cold0>().ToRabbitQueue("coldstart.wolverine.0");
    opts.ListenToRabbitQueue("coldstart.wolverine.1");
    opts.PublishMessage<Cold1>().ToRabbitQueue("coldstart.wolverine.1");
    opts.ListenToRabbitQueue("coldstart.wolverine.2");
    opts.PublishMessage<Cold2>().ToRabbitQueue("coldstart.wolverine.2");
    opts.ListenToRabbitQueue("coldstart.wolverine.3");
    opts.PublishMessage<Cold3>().ToRabbitQueue("coldstart.wolverine.3");
    opts.ListenToRabbitQueue("coldstart.wolverine.4");
    opts.PublishMessage<Cold4>().ToRabbitQueue("coldstart.wolverine.4");
    opts.ListenToRabbitQueue("coldstart.wolverine.5");
    opts.PublishMessage<Cold5>().ToRabbitQueue("coldstart.wolverine.5");
    opts.ListenToRabbitQueue("coldstart.wolverine.6");
    opts.PublishMessage<Cold6>().ToRabbitQueue("coldstart.wolverine.6");
    opts.ListenToRabbitQueue("coldstart.wolverine.7");
    opts.PublishMessage<Cold7>().ToRabbitQueue("coldstart.wolverine.7");
    opts.ListenToRabbitQueue("coldstart.wolverine.8");
    opts.PublishMessage<Cold8>().ToRabbitQueue("coldstart.wolverine.8");
    opts.ListenToRabbitQueue("coldstart.wolverine.9");
    opts.PublishMessage<Cold9>().ToRabbitQueue("coldstart.wolverine.9");
});
using IHost host = builder.Build();
await host.StartAsync();
IMessageBus bus = host.Services.GetRequiredService<IMessageBus>();
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

bool done = await Progress.WaitAsync();
await host.StopAsync();
return done ? 0 : 1;

namespace Warren.ColdStart
{
    /// <summary>Found by Wolverine's conventional discovery (its name ends in Handler).</summary>
    public static class ColdHandler
    {
        public static void Handle(Cold0 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold1 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold2 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold3 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold4 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold5 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold6 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold7 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold8 message) => Progress.Consumed(message.Id);
        public static void Handle(Cold9 message) => Progress.Consumed(message.Id);
    }

    public sealed record Cold0(int Id);
    public sealed record Cold1(int Id);
    public sealed record Cold2(int Id);
    public sealed record Cold3(int Id);
    public sealed record Cold4(int Id);
    public sealed record Cold5(int Id);
    public sealed record Cold6(int Id);
    public sealed record Cold7(int Id);
    public sealed record Cold8(int Id);
    public sealed record Cold9(int Id);
}
