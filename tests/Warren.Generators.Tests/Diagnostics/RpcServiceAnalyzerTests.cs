using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.RpcServiceAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN007: RPC services the generator emits nothing for.</summary>
public sealed class RpcServiceAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[RpcService("q")] public interface I { const string Queue = "q"; [RpcMethod] Task RunAsync(); }""")]
    [InlineData("""[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); static Task Helper() => Task.CompletedTask; static int Counter; }""")]
    [InlineData("""[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); Task DefaultAsync() => RunAsync(); int Count => 0; }""")]
    [InlineData("""[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public sealed class Helper { } public enum Mode { A } }""")]
    [InlineData("""public interface IEmpty { } [RpcService("q")] public interface I : IEmpty { [RpcMethod] Task RunAsync(); }""")]
    [InlineData("""[RpcService("q")] public interface I { [RpcMethod] Task FindAsync(int id); [RpcMethod("FindByName")] Task FindAsync(string name); }""")]
    [InlineData("""[RpcService("q")] public interface I { [RpcMethod] Task Run(); [RpcMethod("run")] Task RunAsync(int a); }""")]
    [InlineData("""public interface IPlain { Task RunAsync(); int Count { get; } }""")]
    [InlineData("""public static class Outer { [RpcService("q")] internal interface I { [RpcMethod] Task RunAsync(); } }""")]
    public Task Valid_services_and_unrelated_interfaces_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public async Task Rpc_method_without_rpc_service_is_reported_at_the_interface()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public interface {|WARREN007:IFibonacci|}
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "Interface 'IFibonacci' has [RpcMethod] methods but no [RpcService]: nothing is generated for it, so CreateClient and ServeAsync would throw; add [RpcService(\"queue\")]",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[RpcMethod(\"same\")] Task OneAsync(); [RpcMethod(\"same\")] Task {|WARREN007:TwoAsync|}();", "TwoAsync", "RPC methods 'OneAsync' and 'TwoAsync' of 'I' share the wire name 'same'")]
    [InlineData("[RpcMethod] Task FooAsync(); [RpcMethod(\"Foo\")] Task {|WARREN007:BarAsync|}();", "BarAsync", "RPC methods 'FooAsync' and 'BarAsync' of 'I' share the wire name 'Foo'")]
    [InlineData("[RpcMethod] Task FindAsync(int id); [RpcMethod] Task {|WARREN007:FindAsync|}(string name);", "FindAsync", "share the wire name 'Find', so a request could not say which it calls; give one another name with [RpcMethod(\"name\")]")]
    public async Task Duplicate_wire_name_is_reported_at_the_second_method(string members, string locatedText, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""[RpcService("q")] public interface I { {{members}} }""");

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Equal(diagnostic.Location.SourceTree!.ToString().LastIndexOf(locatedText, System.StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    [Theory]
    [InlineData("int {|WARREN007:Count|} { get; }", "'I.Count' is a property: every abstract member of an [RpcService] interface must be an [RpcMethod] method, or the generator emits nothing for the service; remove it, or give it a default body")]
    [InlineData("int {|WARREN007:this|}[int i] { get; }", "is an indexer")]
    [InlineData("event EventHandler {|WARREN007:Changed|};", "'I.Changed' is an event")]
    [InlineData("Task {|WARREN007:OtherAsync|}();", "'I.OtherAsync' is a method without [RpcMethod]: every abstract member of an [RpcService] interface must be an [RpcMethod] method, or the generator emits nothing for the service; mark it [RpcMethod], or give it a default body")]
    [InlineData("static abstract Task {|WARREN007:CreateAsync|}();", "is a method without [RpcMethod]")]
    public async Task Member_the_proxy_cannot_implement_is_reported_at_the_member(string member, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [RpcService("q")]
            public interface I
            {
                [RpcMethod] Task RunAsync();
                {{member}}
            }
            """);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public interface IBase { Task PingAsync(); } [RpcService(\"q\")] public interface I : {|WARREN007:IBase|} { [RpcMethod] Task RunAsync(); }", "IBase", "'IBase'")]
    [InlineData("public interface {|WARREN007:IBase|} { [RpcMethod] Task PingAsync(); } [RpcService(\"q\")] public interface I : {|WARREN007:IDisposable|}, {|WARREN007:IBase|} { [RpcMethod] Task RunAsync(); }", "IDisposable", "'IDisposable'")]
    [InlineData("public interface IRoot { Task PingAsync(); } public interface IMiddle : IRoot { } [RpcService(\"q\")] public interface I : {|WARREN007:IMiddle|} { [RpcMethod] Task RunAsync(); }", "IMiddle", "'IMiddle'")]
    public async Task Inherited_members_are_reported_at_the_base_list(string source, string locatedText, string inherited)
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync(source);

        // The first inheritance in the base list (an IBase with [RpcMethod] is also reported for lacking [RpcService]).
        Diagnostic diagnostic = diagnostics.First(d => d.GetMessage().Contains("inherits", System.StringComparison.Ordinal));
        Assert.Equal(locatedText, LocatedText(diagnostic));
        Assert.Contains($"RPC service 'I' inherits members from {inherited}; the proxy implements only the service's own [RpcMethod] methods", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[RpcService({|WARREN007:null|})] public interface I { [RpcMethod] Task RunAsync(); }""")]
    [InlineData("""[RpcService({|WARREN007:""|})] public interface I { [RpcMethod] Task RunAsync(); }""")]
    [InlineData("""[RpcService(queue: {|WARREN007:""|})] public interface I { [RpcMethod] Task RunAsync(); }""")]
    public async Task Missing_queue_name_is_reported_at_the_argument(string source)
    {
        Diagnostic diagnostic = await VerifySingleAsync(source);

        Assert.Equal("RPC service 'I' has no queue name: requests are sent to the queue [RpcService] names, so give it one", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""[RpcService("q")] public interface {|WARREN007:I|}<T> { [RpcMethod] Task<T> GetAsync(); }""", "RPC service 'I' is generic; the generator emits nothing for it")]
    [InlineData("""public static class Outer<T> { [RpcService("q")] public interface {|WARREN007:I|} { [RpcMethod] Task RunAsync(); } }""", "RPC service 'I' is nested in 'Outer', which is generic")]
    [InlineData("""public sealed class Outer { [RpcService("q")] private interface {|WARREN007:I|} { [RpcMethod] Task RunAsync(); } }""", "RPC service 'I' is private or protected, so generated code cannot reach it")]
    [InlineData("""internal sealed class Outer { private sealed class Middle { [RpcService("q")] internal interface {|WARREN007:I|} { [RpcMethod] Task RunAsync(); } } }""", "RPC service 'I' is nested in 'Middle', which is private or protected")]
    [InlineData("""[RpcService("q")] file interface {|WARREN007:I|} { [RpcMethod] Task RunAsync(); }""", "RPC service 'I' is file-local")]
    public async Task Service_generated_code_cannot_name_is_reported_at_the_interface(string source, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync(source);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_without_methods_is_reported_at_the_interface()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""[RpcService("q")] public interface {|WARREN007:IEmpty|} { }""");

        Assert.Equal("RPC service 'IEmpty' has no [RpcMethod] methods, so the generator emits nothing for it; add one", diagnostic.GetMessage());
    }

    [Fact]
    public Task Service_whose_only_method_is_invalid_is_left_to_WARREN006() =>
        VerifyAsync("""[RpcService("q")] public interface I { [RpcMethod] static Task RunAsync() => Task.CompletedTask; }""");
}
