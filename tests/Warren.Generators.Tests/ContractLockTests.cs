using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The contract lock check: every breaking change is one WARREN023 at its place; additive changes pass.</summary>
public sealed class ContractLockTests
{
    private const string LockPath = "/project/warren.contracts.json";

    private const string Locked = Usings + """
        namespace Ns;

        public sealed record Line(string Sku, int Quantity);

        [Message("orders.placed"), Topic("orders", RoutingKey = "orders.{Region}"), Durable]
        public sealed record OrderPlaced(string Id, string Region, decimal Total, Line[] Lines);

        [Queue("jobs"), Durable(QueueType.Quorum)]
        public sealed record Job(string Name);

        [Headers("shapes")]
        public sealed record Shape([property: Header("size")] string Size);

        [Consumer(Queue = "billing"), Bind("orders.eu"), Durable]
        public sealed class Billing : IConsumer<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Queue = "shapes.big"), BindHeaders(HeadersMatch.All, "size", "big")]
        public sealed class BigShapes : IConsumer<Shape>
        {
            public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Fanout("ledger"), JsonDerivedType(typeof(Refund), "refund")]
        public record LedgerEntry(string Account);

        public sealed record Refund(string Account, string Reason) : LedgerEntry(Account);

        [Queue("ticks"), Durable(QueueType.Stream)]
        public sealed record Tick(double Price);

        [Consumer(StreamConsumerName = "chart")]
        public sealed class TickChart : IConsumer<Tick>
        {
            public ValueTask HandleAsync(Tick message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [RpcService("calc")]
        public interface ICalc
        {
            [RpcMethod] Task<int> AddAsync(int a, int b);
            [RpcMethod] Task ResetAsync();
        }
        """;

    /// <summary>Each breaking change: what is edited, a part of the expected message, and the text at the reported location.</summary>
    public static TheoryData<string, string, string, string, string> BreakingChanges => new()
    {
        { "message removed", "[Queue(\"jobs\"), Durable(QueueType.Quorum)]\npublic sealed record Job(string Name);", "", "message 'Ns.Job' was removed or renamed", "lock:\"Ns.Job\": {" },
        { "message renamed", "[Message(\"orders.placed\")", "[Message(\"orders.created\")", "message 'orders.placed' was removed or renamed", "lock:\"orders.placed\": {" },
        { "property removed", "decimal Total, ", "", "message 'orders.placed': property 'total' was removed or renamed", "source:Topic(\"orders\", RoutingKey = \"orders.{Region}\")" },
        { "property renamed", "decimal Total", "[property: JsonPropertyName(\"sum\")] decimal Total", "property 'total' was removed or renamed", "source:Topic(\"orders\", RoutingKey = \"orders.{Region}\")" },
        { "property type changed", "decimal Total", "string Total", "property 'total' changed type from 'number' to 'string'", "source:Total" },
        { "nested property type changed", "int Quantity", "long Quantity", "property 'lines[].quantity' changed type from 'integer(int32)' to 'integer(int64)'", "source:Quantity" },
        { "routing kind changed", "Topic(\"orders\", RoutingKey = \"orders.{Region}\")", "Direct(\"orders\", RoutingKey = \"orders.{Region}\")", "message 'orders.placed': kind changed from 'topic' to 'direct'", "source:Direct(\"orders\", RoutingKey = \"orders.{Region}\")" },
        { "exchange renamed", "Topic(\"orders\",", "Topic(\"orders.v2\",", "exchange changed from 'orders' to 'orders.v2'", "source:Topic(\"orders.v2\", RoutingKey = \"orders.{Region}\")" },
        { "routing-key template changed", "\"orders.{Region}\"", "\"{Region}.orders\"", "routingKey changed from 'orders.{Region}' to '{Region}.orders'", "source:Topic(\"orders\", RoutingKey = \"{Region}.orders\")" },
        { "durability changed", "RoutingKey = \"orders.{Region}\"), Durable]", "RoutingKey = \"orders.{Region}\")]", "message 'orders.placed': durable changed from true to false", "source:Topic(\"orders\", RoutingKey = \"orders.{Region}\")" },
        { "queue type changed", "[Queue(\"jobs\"), Durable(QueueType.Quorum)]", "[Queue(\"jobs\"), Durable]", "message 'Ns.Job': queueType changed from 'quorum' to 'classic'", "source:Queue(\"jobs\")" },
        { "queue argument added", "[Queue(\"jobs\"), Durable(QueueType.Quorum)]", "[Queue(\"jobs\"), Durable(QueueType.Quorum), QueueArguments(MaxLength = 10)]", "message 'Ns.Job': queue argument 'x-max-length' changed from none to 10", "source:Queue(\"jobs\")" },
        { "delivery limit changed", "Durable(QueueType.Quorum)]", "Durable(QueueType.Quorum, DeliveryLimit = 9)]", "queue argument 'x-delivery-limit' changed from 5 to 9", "source:Queue(\"jobs\")" },
        { "queue renamed", "[Queue(\"jobs\")", "[Queue(\"work\")", "message 'Ns.Job': queue changed from 'jobs' to 'work'", "source:Queue(\"work\")" },
        { "header removed", "[property: Header(\"size\")] string Size", "string Size", "message 'Ns.Shape': header 'size' was removed", "source:Headers(\"shapes\")" },
        { "consumer queue changed", "Consumer(Queue = \"billing\")", "Consumer(Queue = \"invoicing\")", "consumer 'Ns.Billing': queue changed from 'billing' to 'invoicing'", "source:Consumer(Queue = \"invoicing\")" },
        { "consumer queue durability changed", "Bind(\"orders.eu\"), Durable]", "Bind(\"orders.eu\")]", "consumer 'Ns.Billing': durable changed from true to false", "source:Consumer(Queue = \"billing\")" },
        { "consumer removed", "[Consumer(Queue = \"billing\"), Bind(\"orders.eu\"), Durable]\npublic sealed class Billing", "public sealed class Billing", "consumer 'Ns.Billing' of queue 'billing' was removed", "lock:\"Ns.Billing\": {" },
        { "binding removed", "Bind(\"orders.eu\")", "Bind(\"orders.us\")", "consumer 'Ns.Billing': binding 'orders.eu' was removed", "source:Consumer(Queue = \"billing\")" },
        { "header binding removed", "\"size\", \"big\"", "\"size\", \"small\"", "consumer 'Ns.BigShapes': header binding { \"size\": \"big\", \"x-match\": \"all\" } was removed", "source:Consumer(Queue = \"shapes.big\")" },
        { "derived message type dropped", "[Fanout(\"ledger\"), JsonDerivedType(typeof(Refund), \"refund\")]", "[Fanout(\"ledger\")]", "message 'Ns.LedgerEntry': property '(refund)' was removed or renamed", "source:Fanout(\"ledger\")" },
        { "derived message property changed", "string Reason)", "int Reason)", "message 'Ns.LedgerEntry': property '(refund).reason' changed type from 'string' to 'integer(int32)'", "source:Reason" },
        { "stream consumer renamed", "StreamConsumerName = \"chart\"", "StreamConsumerName = \"graph\"", "consumer 'Ns.TickChart': offsetsQueue changed from 'ticks.offsets.chart' to 'ticks.offsets.graph'", "source:Consumer(StreamConsumerName = \"graph\")" },
        { "rpc method removed", "[RpcMethod] Task ResetAsync();", "", "RPC method 'Ns.ICalc.Reset' was removed or renamed", "source:RpcService(\"calc\")" },
        { "rpc method renamed", "[RpcMethod] Task ResetAsync();", "[RpcMethod] Task ClearAsync();", "RPC method 'Ns.ICalc.Reset' was removed or renamed", "source:RpcService(\"calc\")" },
        { "rpc parameter type changed", "int a, int b", "int a, long b", "RPC method 'Ns.ICalc.Add': parameters changed from [ \"a: integer(int32)\", \"b: integer(int32)\" ] to [ \"a: integer(int32)\", \"b: integer(int64)\" ]", "source:AddAsync" },
        { "rpc parameter added", "int a, int b", "int a, int b, int c", "RPC method 'Ns.ICalc.Add': parameters changed", "source:AddAsync" },
        { "rpc return type changed", "Task<int> AddAsync", "Task<string> AddAsync", "RPC method 'Ns.ICalc.Add': returns changed from 'integer(int32)' to 'string'", "source:AddAsync" },
        { "rpc service queue changed", "[RpcService(\"calc\")]", "[RpcService(\"calculator\")]", "RPC service 'Ns.ICalc': queue changed from 'calc' to 'calculator'", "source:RpcService(\"calculator\")" },
        { "rpc service removed", "[RpcService(\"calc\")]\npublic interface ICalc", "public interface ICalc", "RPC service 'Ns.ICalc' was removed", "lock:\"Ns.ICalc\": {" },
    };

    [Theory]
    [MemberData(nameof(BreakingChanges))]
    public void Breaking_change_is_reported_where_it_is(string change, string from, string to, string expected, string at)
    {
        string edited = Edit(Locked, from, to);
        (ImmutableArray<Diagnostic> diagnostics, string lockText) = Check(Locked, edited);

        Diagnostic diagnostic = Assert.Single(diagnostics, d => d.GetMessage().Contains(expected, StringComparison.Ordinal));
        Assert.True(diagnostic.Id == "WARREN023" && diagnostic.Severity == DiagnosticSeverity.Error, change);
        Assert.All(diagnostics, d => Assert.Equal("WARREN023", d.Id));
        Assert.Contains("dotnet build -p:WarrenAcceptContracts=true", diagnostic.GetMessage(), StringComparison.Ordinal);
        if (at.StartsWith("lock:", StringComparison.Ordinal))
        {
            Assert.Equal(LockPath, diagnostic.Location.GetLineSpan().Path);
            int line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
            Assert.Equal(at["lock:".Length..], lockText.Split('\n')[line].Trim());
        }
        else
        {
            Assert.Equal("Sample0.cs", diagnostic.Location.GetLineSpan().Path);
            Assert.Equal(at["source:".Length..], edited.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        }
    }

    public static TheoryData<string, string, string> AdditiveChanges => new()
    {
        { "new message", "public sealed record Line", "[Fanout(\"audit\")] public sealed record Audit(string Text);\npublic sealed record Line" },
        { "new property", "decimal Total,", "decimal Total, string? Note," },
        { "new nested property", "int Quantity", "int Quantity, string? Color" },
        { "new alias", "[Message(\"orders.placed\")", "[Message(\"orders.placed\", Aliases = new[] { \"Ns.OrderPlaced\" })" },
        { "wire name changed with the old one as alias", "[Message(\"orders.placed\")", "[Message(\"orders.created\", Aliases = new[] { \"orders.placed\" })" },
        { "message type renamed under a stable wire name", "OrderPlaced", "OrderCreated" },
        { "consumer class renamed on the same queue", "Billing", "Invoicing" },
        { "new consumer", "[RpcService", "[Consumer(Queue = \"jobs.audit\")] public sealed class JobAudit : IConsumer<Job> { public ValueTask HandleAsync(Job message, MessageContext context, CancellationToken cancellationToken) => default; }\n[RpcService" },
        { "new binding", "Bind(\"orders.eu\")", "Bind(\"orders.eu\"), Bind(\"orders.us\")" },
        { "new header binding", "\"size\", \"big\")", "\"size\", \"big\"), BindHeaders(HeadersMatch.Any, \"size\", \"huge\")" },
        { "new header", "string Size)", "string Size, [property: Header(\"color\")] string? Color = null)" },
        { "new rpc method", "[RpcMethod] Task ResetAsync();", "[RpcMethod] Task ResetAsync();\n    [RpcMethod] Task<int> NegateAsync(int a);" },
        { "new derived message type", "JsonDerivedType(typeof(Refund), \"refund\")]\npublic record LedgerEntry(string Account);", "JsonDerivedType(typeof(Refund), \"refund\"), JsonDerivedType(typeof(Credit), \"credit\")]\npublic record LedgerEntry(string Account);\npublic sealed record Credit(string Account, int Points) : LedgerEntry(Account);" },
        { "new rpc service", "[RpcService(\"calc\")]", "[RpcService(\"clock\")] public interface IClock { [RpcMethod] Task<DateTimeOffset> NowAsync(); }\n[RpcService(\"calc\")]" },
    };

    [Theory]
    [MemberData(nameof(AdditiveChanges))]
    public void Additive_change_passes(string change, string from, string to)
    {
        (ImmutableArray<Diagnostic> diagnostics, _) = Check(Locked, Edit(Locked, from, to));

        Assert.True(diagnostics.IsEmpty, change + ":\n" + string.Join("\n", diagnostics));
    }

    [Fact]
    public void Unchanged_contracts_pass()
    {
        (ImmutableArray<Diagnostic> diagnostics, _) = Check(Locked, Locked);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Accepting_the_change_reports_nothing()
    {
        string lockText = Lock(Locked);
        GeneratorRun run = ContractDocumentTests.RunWith(
            new Dictionary<string, string> { ["WarrenAcceptContracts"] = "true" }, Edit(Locked, "decimal Total", "string Total"), new InMemoryAdditionalText(LockPath, lockText));

        Assert.Empty(run.Result.Diagnostics);
        Assert.Contains("\"total\": \"string\"", ContractDocumentTests.Document(run, "Lock"), StringComparison.Ordinal);
    }

    [Fact]
    public void Lock_file_name_is_compared_ignoring_case_and_other_files_are_not_locks()
    {
        string lockText = Lock(Locked);
        string edited = Edit(Locked, "decimal Total", "string Total");

        GeneratorRun upper = ContractDocumentTests.RunWith(new Dictionary<string, string>(), edited, new InMemoryAdditionalText("/project/Warren.Contracts.JSON", lockText));
        GeneratorRun other = ContractDocumentTests.RunWith(new Dictionary<string, string>(), edited, new InMemoryAdditionalText("/project/contracts.json", lockText));

        Assert.Single(upper.Result.Diagnostics, d => d.Id == "WARREN023");
        Assert.Empty(other.Result.Diagnostics);
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"messages\": ", "line 1: unexpected end of the text (not valid JSON)", 0)]
    [InlineData("{\n  \"version\": 1,\n  \"messages\": {},\n}", "line 4: expected a property name (not valid JSON)", 0)]
    [InlineData("{\n  \"version\": 2,\n  \"messages\": {}\n}", "its version is 2, and this Warren reads version 1", 1)]
    [InlineData("{\n  \"messages\": {}\n}", "its version is missing, and this Warren reads version 1", 0)]
    [InlineData("[1, 2]", "line 1: the lock is not a JSON object (not valid JSON)", 0)]
    public void Unreadable_lock_is_one_warren024(string lockText, string problem, int line)
    {
        GeneratorRun run = ContractDocumentTests.RunWith(new Dictionary<string, string>(), Locked, new InMemoryAdditionalText(LockPath, lockText));

        Diagnostic diagnostic = Assert.Single(run.Result.Diagnostics);
        Assert.Equal("WARREN024", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(problem, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(LockPath, diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Every_breaking_change_is_reported_not_only_the_first()
    {
        string edited = Edit(Edit(Edit(Locked, "decimal Total", "string Total"), "Bind(\"orders.eu\")", "Bind(\"orders.us\")"), "[RpcMethod] Task ResetAsync();", "");

        (ImmutableArray<Diagnostic> diagnostics, _) = Check(Locked, edited);

        Assert.Equal(3, diagnostics.Length);
    }

    /// <summary>Runs the generator over <paramref name="current"/> with the lock that <paramref name="locked"/> writes.</summary>
    private static (ImmutableArray<Diagnostic> Diagnostics, string Lock) Check(string locked, string current)
    {
        string lockText = Lock(locked);
        GeneratorRun run = ContractDocumentTests.RunWith(new Dictionary<string, string>(), current, new InMemoryAdditionalText(LockPath, lockText));
        Assert.Null(run.Result.Exception);
        return (run.Result.Diagnostics, lockText);
    }

    private static string Lock(string source) => ContractDocumentTests.Document(RunClean(source), "Lock");

    private static string Edit(string source, string from, string to)
    {
        Assert.Contains(from, source, StringComparison.Ordinal);
        return source.Replace(from, to, StringComparison.Ordinal);
    }
}
