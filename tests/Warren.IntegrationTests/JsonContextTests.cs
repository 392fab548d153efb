using System.Text;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.json_context")]
public sealed record ContextInvoice(int InvoiceNumber, string CustomerName);

/// <summary>A context the app registers for trimming/NativeAOT; its snake_case policy shows on the wire when it is used.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ContextInvoice))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}

public sealed class JsonContextTests
{
    [Fact]
    public async Task A_JsonSerializerContext_in_the_compilation_serializes_the_messages_it_covers()
    {
        const string queue = "warren.test.json_context";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("json-context");

        await bus.PublishAsync(new ContextInvoice(17, "Ada"));
        BasicGetResult? published = await raw.GetAsync(queue);
        Assert.NotNull(published);
        Assert.Equal("""{"invoice_number":17,"customer_name":"Ada"}""", Encoding.UTF8.GetString(published!.Body.Span));

        var inbox = new Inbox<ContextInvoice>();
        await using Subscription subscription = await bus.SubscribeAsync<ContextInvoice>((m, c, _) => { inbox.Add(m, c); return default; });
        await raw.PublishAsync("", queue, """{"invoice_number":18,"customer_name":"Grace"}"""u8.ToArray());
        await inbox.WaitForAsync(1);
        Assert.Equal(new ContextInvoice(18, "Grace"), inbox.Messages[0]);
    }
}
