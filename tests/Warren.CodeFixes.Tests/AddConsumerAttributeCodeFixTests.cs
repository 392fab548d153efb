using System.Threading.Tasks;
using Xunit;
using Verify = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.ConsumerRegistrationAnalyzer,
    Warren.CodeFixes.AddConsumerAttributeCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN022: [Consumer] added to the class a call subscribes or registers.</summary>
public sealed class AddConsumerAttributeCodeFixTests
{
    private const string Message = """
        [Queue("work")] public sealed record Work(string Id);

        """;

    private const string Handle = "public ValueTask HandleAsync(Work message, MessageContext context, CancellationToken cancellationToken) => default;";

    [Fact]
    public Task Consumer_attribute_is_added_to_the_class_on_a_line_of_its_own() => Verify.VerifyAsync(
        Verify.Usings + Message + $$"""
        /// <summary>Does the work.</summary>
        public sealed class Worker : IConsumer<Work>
        {
            {{Handle}}
        }

        public static class Program
        {
            public static async Task RunAsync(Bus bus) => await bus.{|WARREN022:SubscribeAsync|}(new Worker());
        }
        """,
        Verify.Usings + Message + $$"""
        /// <summary>Does the work.</summary>
        [Consumer]
        public sealed class Worker : IConsumer<Work>
        {
            {{Handle}}
        }

        public static class Program
        {
            public static async Task RunAsync(Bus bus) => await bus.SubscribeAsync(new Worker());
        }
        """,
        fixAll: false);

    [Fact]
    public Task Abstract_class_gets_no_fix() => Verify.VerifyNoFixAsync(
        Verify.Usings + Message + $$"""
        public abstract class Worker : IConsumer<Work> { {{Handle}} }

        public static class Program
        {
            public static async Task RunAsync(Bus bus, Worker worker) => await bus.{|WARREN022:SubscribeAsync|}(worker);
        }
        """);
}
