using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.RpcServerClassAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN013: [RpcServer] classes a host cannot serve with.</summary>
public sealed class RpcServerClassAnalyzerTests
{
        private const string Service = """
        [RpcService("echo")] public interface IEcho { [RpcMethod] Task<string> EchoAsync(string text); }
        [RpcService("ping")] public interface IPing { [RpcMethod] Task PingAsync(); }

        """;

    private const string Echo = "public Task<string> EchoAsync(string text) => Task.FromResult(text);";

    [Theory]
    [InlineData("[RpcServer] public sealed class E : IEcho { " + Echo + " }")]
    [InlineData("[RpcServer] internal sealed class E : IEcho { public E(System.IServiceProvider services) { } " + Echo + " }")]
    [InlineData("[RpcServer] public sealed class E : IEcho, IPing { " + Echo + " public Task PingAsync() => Task.CompletedTask; }")]
    [InlineData("public interface IDerived : IEcho { } [RpcServer] public sealed class E : IDerived { " + Echo + " }")]
    [InlineData("public abstract class EchoBase : IEcho { " + Echo + " } [RpcServer] public sealed class E : EchoBase { }")]
    [InlineData("public static class Outer { [RpcServer] internal sealed class E : IEcho { " + Echo + " } }")]
    [InlineData("public sealed class NotAServer { private NotAServer() { } }")]
    public Task Valid_server_classes_are_silent(string declaration) => VerifyAsync(Service + declaration);

    [Theory]
    [InlineData("[RpcServer] public sealed class {|WARREN013:E|} { " + Echo + " }", "E", "implements no [RpcService] interface")]
    [InlineData("[RpcServer] public abstract class {|WARREN013:E|} : IEcho { public abstract Task<string> EchoAsync(string text); }", "E", "is abstract")]
    [InlineData("[RpcServer] public sealed class {|WARREN013:E|}<T> : IEcho { " + Echo + " }", "E", "is generic")]
    [InlineData("public class Outer { [RpcServer] private sealed class {|WARREN013:E|} : IEcho { " + Echo + " } }", "E", "is private")]
    [InlineData("[RpcServer] file sealed class {|WARREN013:E|} : IEcho { " + Echo + " }", "E", "is file-local")]
    [InlineData("[RpcServer] public sealed class {|WARREN013:E|} : IEcho { internal E() { } " + Echo + " }", "E", "has no public constructor")]
    public async Task Unusable_server_class_is_reported_at_its_identifier(string declaration, string identifier, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Service + declaration);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith($"RPC server '{identifier}' ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }
}
