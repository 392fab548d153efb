using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.ConsumerRegistrationAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN022: a class without [Consumer] passed to an API that needs its generated consumer descriptor.</summary>
public sealed class ConsumerRegistrationAnalyzerTests
{
    private const string Contracts = """
        using Microsoft.Extensions.DependencyInjection;

        [Queue("work")] public sealed record Work(string Id);

        public sealed class Plain : IConsumer<Work>
        {
            public ValueTask HandleAsync(Work message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer] public sealed class Marked : IConsumer<Work>
        {
            public ValueTask HandleAsync(Work message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        """;

    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("await bus.SubscribeAsync(new Marked());")]
    [InlineData("await bus.SubscribeAsync<Marked>(new Marked());")]
    [InlineData("await ibus.SubscribeAsync(new Marked());")]
    [InlineData("await bus.SubscribeAsync<Work>(new Plain().HandleAsync);")]
    [InlineData("await bus.SubscribeAsync<Work>((m, c, t) => default);")]
    [InlineData("builder.AddConsumer<Marked>();")]
    [InlineData("await Generic(bus, new Plain());")]
    public Task Consumer_classes_handlers_and_type_parameters_are_silent(string call) => VerifyAsync(Contracts + Program(call));

    [Fact]
    public void The_samples_compile()
    {
        // Otherwise a silent case could be silent only because it does not bind.
        string calls = string.Join("\n", "await bus.SubscribeAsync(new Marked());", "await ibus.SubscribeAsync(new Plain());", "builder.AddConsumer<Plain>();",
            "await bus.SubscribeAsync<Work>(new Plain().HandleAsync);", "await Generic(bus, new Plain());");
        GeneratorHarness.RunClean(AnalyzerVerifier.Usings + Contracts + Program(calls)).AssertCompilesWithoutWarnings();
    }

    [Fact]
    public Task Class_without_consumer_that_is_never_passed_to_those_apis_is_silent() => VerifyAsync(Contracts);

    [Fact]
    public async Task SubscribeAsync_of_a_class_without_consumer_is_reported_at_the_method_name()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Contracts + Program("await bus.{|WARREN022:SubscribeAsync|}(new Plain());"));

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "SubscribeAsync<Plain> needs the descriptor Warren generates for a [Consumer] class, and 'Plain' has no [Consumer], so this call always throws MessageNotRegisteredException. " +
            "Add [Consumer] to 'Plain', or subscribe its HandleAsync as a handler, which needs no [Consumer]: bus.SubscribeAsync<Work>(consumer.HandleAsync, options)",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("await ibus.{|WARREN022:SubscribeAsync|}(new Plain(), null, default);")]
    [InlineData("await bus.{|WARREN022:SubscribeAsync<Plain>|}(new Plain());")]
    [InlineData("builder.{|WARREN022:AddConsumer<Plain>|}();")]
    [InlineData("Microsoft.Extensions.DependencyInjection.WarrenServiceCollectionExtensions.{|WARREN022:AddConsumer<Plain>|}(builder);")]
    public Task Each_descriptor_api_is_reported(string call) => VerifySingleAsync(Contracts + Program(call));

    [Fact]
    public async Task Interface_type_argument_is_reported_with_the_concrete_class_fix()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Contracts + Program("await bus.{|WARREN022:SubscribeAsync<IConsumer<Work>>|}(new Marked());"));

        Assert.Contains("Pass the concrete [Consumer] class as the type argument", diagnostic.GetMessage());
    }

    private static string Program(string call) => $$"""
        public static class Program
        {
            public static async Task RunAsync(Bus bus, IBus ibus, IWarrenBuilder builder)
            {
                {{call}}
            }

            private static Task<Subscription> Generic<T>(Bus bus, T consumer) where T : class => bus.SubscribeAsync(consumer);
        }
        """;
}
