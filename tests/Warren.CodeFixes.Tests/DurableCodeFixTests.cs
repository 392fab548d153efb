using System.Threading.Tasks;
using Xunit;
using Verify = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.DurableAnalyzer,
    Warren.CodeFixes.DurableCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN010: the [Durable] argument that cannot take effect is removed.</summary>
public sealed class DurableCodeFixTests
{
    [Theory]
    [InlineData("""[Topic("orders"), Durable({|WARREN010:QueueType.Quorum|})]""", """[Topic("orders"), Durable]""")]
    [InlineData("""[Fanout("orders"), Durable(queueType: {|WARREN010:QueueType.Stream|})]""", """[Fanout("orders"), Durable]""")]
    // Without the queue type the delivery limit would be the next WARREN010: it goes too.
    [InlineData("""[Direct("orders"), Durable({|WARREN010:QueueType.Quorum|}, DeliveryLimit = 3)]""", """[Direct("orders"), Durable]""")]
    [InlineData("""[Queue("orders"), Durable(DeliveryLimit = {|WARREN010:3|})]""", """[Queue("orders"), Durable]""")]
    [InlineData("""[Queue("orders"), Durable(QueueType.Classic, DeliveryLimit = {|WARREN010:3|})]""", """[Queue("orders"), Durable(QueueType.Classic)]""")]
    public Task Ineffective_argument_is_removed(string attributes, string fixedAttributes) => Verify.VerifyAsync(
        Verify.Usings + attributes + "\npublic sealed record OrderPlaced(string Id);\n",
        Verify.Usings + fixedAttributes + "\npublic sealed record OrderPlaced(string Id);\n");

    [Fact]
    public Task Fix_all_removes_every_ineffective_argument() => Verify.VerifyAsync(
        Verify.Usings + """
        [Topic("orders"), Durable({|WARREN010:QueueType.Quorum|})] public sealed record OrderPlaced(string Id);
        [Queue("invoices"), Durable(DeliveryLimit = {|WARREN010:10|})] public sealed record InvoiceDue(string Id);
        [Queue("refunds"), Durable(QueueType.Quorum, DeliveryLimit = 10)] public sealed record RefundDue(string Id);
        """,
        Verify.Usings + """
        [Topic("orders"), Durable] public sealed record OrderPlaced(string Id);
        [Queue("invoices"), Durable] public sealed record InvoiceDue(string Id);
        [Queue("refunds"), Durable(QueueType.Quorum, DeliveryLimit = 10)] public sealed record RefundDue(string Id);
        """);
}
