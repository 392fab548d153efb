using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.ConsumerClassAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN011: [Consumer] classes the generated code cannot use.</summary>
public sealed class ConsumerClassAnalyzerTests
{
        private const string Message = """
        [Queue("q")] public sealed record M(string A);
        [Queue("q2")] public sealed record M2(string A);

        """;

    private const string Handle = "public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;";

    [Fact]
    public Task Tutorial_consumers_are_silent() => VerifyAsync(TutorialTopology.Source);

    [Theory]
    [InlineData("[Consumer] public sealed record RecordConsumer(int Id) : IConsumer<M> { " + Handle + " }")]
    [InlineData("public abstract class ConsumerBase : IConsumer<M> { " + Handle + " } [Consumer] public sealed class Concrete : ConsumerBase { }")]
    [InlineData("[Consumer] public sealed class C : IConsumer<M?> { public ValueTask HandleAsync(M? message, MessageContext context, CancellationToken cancellationToken) => default; }")]
    [InlineData("[Consumer] internal sealed class C : IConsumer<M> { internal C(int x) { } " + Handle + " }")]
    [InlineData("[Consumer] public sealed class C : IConsumer<M> { private C() { } public static C Create() => new(); " + Handle + " }")]
    [InlineData("[Consumer] public sealed class C : IConsumer<M> { private C() { } internal static readonly C Instance = new(); " + Handle + " }")]
    [InlineData("[Consumer] public class C : IConsumer<M> { protected C() { } " + Handle + " }")]
    [InlineData("public class Outer { [Consumer] protected internal sealed class C : IConsumer<M> { " + Handle + " } }")]
    [InlineData("public static class Outer { [Consumer] internal sealed class C : IConsumer<M> { " + Handle + " } }")]
    [InlineData("[Queue(\"self\"), Consumer] public sealed class Self : IConsumer<Self> { public ValueTask HandleAsync(Self message, MessageContext context, CancellationToken cancellationToken) => default; }")]
    [InlineData("public sealed class NotAConsumer { private NotAConsumer() { } }")]
    [InlineData("[Consumer] public partial class P { } public partial class P : IConsumer<M> { " + Handle + " }")]
    public Task Valid_consumer_classes_are_silent(string declaration) => VerifyAsync(Message + declaration);

    [Theory]
    [InlineData("[Consumer] public abstract class {|WARREN011:C|} : IConsumer<M> { public abstract ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken); }", "C", "is abstract")]
    [InlineData("[Consumer] public sealed class {|WARREN011:C|}<T> : IConsumer<M> { " + Handle + " }", "C", "is generic")]
    [InlineData("public static class Outer<T> { [Consumer] public sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " } }", "C", "nested in the generic type 'Outer'")]
    [InlineData("[{|CS0592:Consumer|}] public struct {|WARREN011:C|} : IConsumer<M> { " + Handle + " }", "C", "is a struct")]
    [InlineData("[{|CS0592:Consumer|}] public readonly record struct {|WARREN011:C|}(int Id) : IConsumer<M> { " + Handle + " }", "C", "is a record struct")]
    [InlineData("public class Outer { [Consumer] private sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " } }", "C", "is private")]
    [InlineData("public class Outer { [Consumer] protected sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " } }", "C", "is protected")]
    [InlineData("public class Outer { [Consumer] private protected sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " } }", "C", "is private protected")]
    [InlineData("public class Outer { private static class Inner { [Consumer] internal sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " } } }", "C", "nested in the private type 'Inner'")]
    [InlineData("[Consumer] file sealed class {|WARREN011:C|} : IConsumer<M> { " + Handle + " }", "C", "is file-local")]
    [InlineData("[Consumer] public sealed class {|WARREN011:C|} { }", "C", "does not implement IConsumer<TMessage>")]
    [InlineData("[Consumer] public sealed class {|WARREN011:C|} : IConsumer<M>, IConsumer<M2> { " + Handle + " public ValueTask HandleAsync(M2 message, MessageContext context, CancellationToken cancellationToken) => default; }", "C", "more than once ('M' and 'M2')")]
    [InlineData("[Consumer] public sealed class {|WARREN011:C|} : IConsumer<M> { private C() { } " + Handle + " }", "C", "only private constructors")]
    [InlineData("[Consumer] public sealed class {|WARREN011:C|} : IConsumer<M> { private C() { } private static C Create() => new(); " + Handle + " }", "C", "only private constructors")]
    public async Task Unusable_consumer_class_is_reported_at_its_identifier(string declaration, string identifier, string expectedReason)
    {
        // A struct case also has the compiler's CS0592 (marked in its source): [Consumer] is valid on classes only.
        Diagnostic diagnostic = Assert.Single(await VerifyAsync(Message + declaration), d => d.Id == "WARREN011");

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith($"Consumer '{identifier}' ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partial_consumer_is_reported_on_the_part_with_the_attribute()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Message + """
            public abstract partial class P : IConsumer<M> { }
            [Consumer] public abstract partial class {|WARREN011:P|} { public abstract ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken); }
            """);

        string source = diagnostic.Location.SourceTree!.ToString();
        Assert.True(diagnostic.Location.SourceSpan.Start > source.IndexOf("[Consumer]", StringComparison.Ordinal));
    }
}
